import { CAMPAIGN_PROTO } from '@crm/contracts';
import { connectGrpcServer, runService } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { CampaignServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { CAMPAIGN_MIGRATIONS } from './migrations';

runService({
  serviceName: SERVICE_NAME,
  configClass: CampaignServiceConfig,
  storage: (config) => ({
    schema: config.DATABASE_SCHEMA,
    migrations: CAMPAIGN_MIGRATIONS,
    applicationName: `${SERVICE_NAME}-migrate`,
  }),
  appModule: AppModule,
  description:
    'Campaigns (营销活动) under one contact policy across campaigns and channels: target lists with control groups, ' +
    'caps per customer and phone number, quiet hours, consent, arbitration, manager tasks, and the contact ledger. ' +
    'Errors are RFC 9457 problem details.',
  connect: (app, config) => {
    connectEventConsumer(app);
    connectGrpcServer(app, {
      package: CAMPAIGN_PROTO.package,
      protoPath: CAMPAIGN_PROTO.path,
      port: config.GRPC_PORT,
    });
  },
});
