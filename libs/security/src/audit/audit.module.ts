import { Module } from '@nestjs/common';
import { AuditLogWriter } from './audit-log-writer.service';

/** Import after PersistenceModule: the writer uses the service's DataSource (its schema holds audit_log). */
@Module({
  providers: [AuditLogWriter],
  exports: [AuditLogWriter],
})
export class AuditModule {}
