import { connectGrpcServer, runService } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { CustomerServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { CUSTOMER_PROTO_PACKAGE, CUSTOMER_PROTO_PATH } from './grpc/customer-grpc.controller';
import { CUSTOMER_MIGRATIONS } from './migrations';

runService({
  serviceName: SERVICE_NAME,
  configClass: CustomerServiceConfig,
  storage: (config) => ({
    schema: config.DATABASE_SCHEMA,
    migrations: CUSTOMER_MIGRATIONS,
    applicationName: `${SERVICE_NAME}-migrate`,
  }),
  appModule: AppModule,
  description:
    'Customer master, holdings and balances, 360 view, multi-dimensional search and export, prospects, consent and tags. ' +
    'Errors are RFC 9457 problem details. gRPC (libs/contracts/proto/customer.proto) on GRPC_PORT.',
  connect: (app, config) => {
    connectEventConsumer(app);
    connectGrpcServer(app, {
      package: CUSTOMER_PROTO_PACKAGE,
      protoPath: CUSTOMER_PROTO_PATH,
      port: config.GRPC_PORT,
    });
  },
});
