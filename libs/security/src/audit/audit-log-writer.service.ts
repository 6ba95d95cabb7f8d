import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { currentContext } from '@crm/observability';
import { AuditLogEntry } from '@crm/persistence';
import { AuthenticatedUser } from '../auth/authenticated-user';

export interface AuditRecord {
  actor: AuthenticatedUser;
  /** What happened, e.g. `customer.pii.read`, `threshold.update`. */
  action: string;
  resourceType: string;
  resourceId?: string | null;
  customerId?: string | null;
  outcome: 'allowed' | 'denied';
  /** Field names, counts, reasons: never PII values (checked). */
  details?: Record<string, unknown>;
}

// Keys under which a PII value would sit; an audit log that stored them would itself need protecting.
const PII_KEYS = new Set(['idNumber', 'idNo', 'phone', 'phoneNumber', 'mobile', 'name', 'fullName']);

function assertNoPii(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (PII_KEYS.has(key))
      throw new Error(
        `audit details must not hold PII values (found ${path}${key}); record field names instead`,
      );
    assertNoPii(child, `${path}${key}.`);
  }
}

/** Appends to the service's audit_log; the correlation id comes from the current request or message. */
@Injectable()
export class AuditLogWriter {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Pass the EntityManager of the transaction that reads or changes the data, so the audit row
   * commits or rolls back with it.
   */
  async record(record: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const details = record.details ?? {};
    assertNoPii(details, '');
    const entry = manager.create(AuditLogEntry, {
      actorId: record.actor.userId,
      actorRoles: record.actor.roles,
      actorInstitutionId: record.actor.institutionId,
      action: record.action,
      resourceType: record.resourceType,
      resourceId: record.resourceId ?? null,
      customerId: record.customerId ?? null,
      outcome: record.outcome,
      correlationId: currentContext()?.correlationId ?? null,
      details,
    });
    // A single INSERT … RETURNING: the caller's transaction, if any, is the one that counts.
    const saved = await manager.save(AuditLogEntry, entry, { transaction: false });
    return saved.id;
  }
}
