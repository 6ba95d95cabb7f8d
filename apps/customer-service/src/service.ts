import { CUSTOMER_PROTO } from '@crm/contracts';
import { ServiceDefinition } from '@crm/http';
import { CustomerServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { CUSTOMER_MIGRATIONS } from './migrations';

/** customer-service as main.ts runs it and its integration tests start it. */
export const CUSTOMER_SERVICE: ServiceDefinition<CustomerServiceConfig> = {
  serviceName: SERVICE_NAME,
  configClass: CustomerServiceConfig,
  migrations: CUSTOMER_MIGRATIONS,
  appModule: AppModule,
  description:
    'Customer master, holdings and balances, 360 view, multi-dimensional search and export, prospects, consent and tags. ' +
    'Errors are RFC 9457 problem details. gRPC (libs/contracts/proto/customer.proto) on GRPC_PORT.',
  grpc: { package: CUSTOMER_PROTO.package, protoPath: CUSTOMER_PROTO.path },
};
