import { ServiceDefinition } from '@crm/http';
import { AnalyticsServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { ANALYTICS_MIGRATIONS } from './migrations';

/** analytics-service as main.ts runs it and its integration tests start it. */
export const ANALYTICS_SERVICE: ServiceDefinition<AnalyticsServiceConfig> = {
  serviceName: SERVICE_NAME,
  configClass: AnalyticsServiceConfig,
  migrations: ANALYTICS_MIGRATIONS,
  appModule: AppModule,
  description:
    'The analytical CRM (ACRM): a warehouse fed from the core-banking stream and crm.assignment (transactions ' +
    'partitioned by month, end-of-day balances, holdings, customers, institutions and managers), from which ' +
    'the close of business computes indicators, value tiers, lifecycle stages, RFM, potential-customer tags and ' +
    'churn warnings, and league tables rank institutions and managers. Errors are RFC 9457 problem details.',
};
