import { ALERT_PROTO } from '@crm/contracts';
import { ServiceDefinition } from '@crm/http';
import { AlertServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { ALERT_MIGRATIONS } from './migrations';

/** alert-service as main.ts runs it and its integration tests start it. */
export const ALERT_SERVICE: ServiceDefinition<AlertServiceConfig> = {
  serviceName: SERVICE_NAME,
  configClass: AlertServiceConfig,
  migrations: ALERT_MIGRATIONS,
  appModule: AppModule,
  description:
    'Real-time reminders and alerts (提醒) from the core-banking stream: the alert inbox per manager, ' +
    'acknowledgement and resolution, a live stream, and thresholds per institution. Errors are RFC 9457 problem details.',
  grpc: { package: ALERT_PROTO.package, protoPath: ALERT_PROTO.path },
};
