import { ConfigValidationError, loadConfig } from '@crm/config';
import { bootstrapHttpService, connectGrpcServer } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { CustomerServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { CUSTOMER_PROTO_PACKAGE, CUSTOMER_PROTO_PATH } from './grpc/customer-grpc.controller';
import { CUSTOMER_MIGRATIONS } from './migrations/1763900000000-customer-projection.migration';

async function main(): Promise<void> {
  const config = loadConfig(CustomerServiceConfig);
  // Schema first: the consumer and the API read the tables the migrations create.
  const report = await migrate(
    createServiceDataSource({
      schema: config.DATABASE_SCHEMA,
      url: config.DATABASE_URL,
      migrations: CUSTOMER_MIGRATIONS,
    }),
  );
  console.log(JSON.stringify({ service: SERVICE_NAME, msg: 'migrations applied', ...report }));
  const app = await bootstrapHttpService(AppModule, {
    serviceName: SERVICE_NAME,
    config,
    description:
      'Customer master, holdings and balances, 360 view, multi-dimensional search and export, prospects, consent and tags. ' +
      'Errors are RFC 9457 problem details. gRPC (libs/contracts/proto/customer.proto) on GRPC_PORT.',
  });
  connectEventConsumer(app);
  connectGrpcServer(app, {
    package: CUSTOMER_PROTO_PACKAGE,
    protoPath: CUSTOMER_PROTO_PATH,
    port: config.GRPC_PORT,
  });
  await app.startAllMicroservices();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
