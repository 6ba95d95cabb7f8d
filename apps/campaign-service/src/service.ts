import { CAMPAIGN_PROTO } from '@crm/contracts';
import { ServiceDefinition } from '@crm/http';
import { CampaignServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { CAMPAIGN_MIGRATIONS } from './migrations';

/** campaign-service as main.ts runs it and its integration tests start it. */
export const CAMPAIGN_SERVICE: ServiceDefinition<CampaignServiceConfig> = {
  serviceName: SERVICE_NAME,
  configClass: CampaignServiceConfig,
  migrations: CAMPAIGN_MIGRATIONS,
  appModule: AppModule,
  description:
    'Campaigns (营销活动) under one contact policy across campaigns and channels: target lists with control groups, ' +
    'caps per customer and phone number, quiet hours, consent, arbitration, manager tasks, and the contact ledger. ' +
    'Errors are RFC 9457 problem details.',
  grpc: { package: CAMPAIGN_PROTO.package, protoPath: CAMPAIGN_PROTO.path },
};
