import { loadConfig } from '@crm/config';
import { bootstrapHttpService } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { alertStorage } from './alert-storage';
import { AlertServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig(AlertServiceConfig, process.env, SERVICE_NAME);
  await migrate(
    createServiceDataSource({ ...alertStorage(config.DATABASE_SCHEMA), url: config.DATABASE_URL }),
  );
  const app = await bootstrapHttpService(AppModule, {
    serviceName: SERVICE_NAME,
    config,
    description:
      'Real-time reminders and alerts (提醒) from the core-banking stream: the alert inbox per manager, ' +
      'acknowledgement and resolution, a live stream, and thresholds per institution. Errors are RFC 9457 problem details.',
  });
  connectEventConsumer(app);
  await app.startAllMicroservices();
}

main().catch((error: unknown) => {
  console.error(`${SERVICE_NAME}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
