import { runService } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { AlertServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { ALERT_MIGRATIONS } from './migrations';

runService({
  serviceName: SERVICE_NAME,
  configClass: AlertServiceConfig,
  storage: (config) => ({
    schema: config.DATABASE_SCHEMA,
    migrations: ALERT_MIGRATIONS,
    applicationName: `${SERVICE_NAME}-migrate`,
  }),
  appModule: AppModule,
  description:
    'Real-time reminders and alerts (提醒) from the core-banking stream: the alert inbox per manager, ' +
    'acknowledgement and resolution, a live stream, and thresholds per institution. Errors are RFC 9457 problem details.',
  connect: (app) => connectEventConsumer(app),
});
