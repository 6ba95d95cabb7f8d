import { connectGrpcServer, runService } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { AssignmentServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { ASSIGNMENT_PROTO_PACKAGE, ASSIGNMENT_PROTO_PATH } from './grpc/assignment-grpc.controller';
import { ASSIGNMENT_MIGRATIONS } from './migrations';

runService({
  serviceName: SERVICE_NAME,
  configClass: AssignmentServiceConfig,
  storage: (config) => ({
    schema: config.DATABASE_SCHEMA,
    migrations: ASSIGNMENT_MIGRATIONS,
    applicationName: `${SERVICE_NAME}-migrate`,
  }),
  appModule: AppModule,
  description:
    'Coverage (主协办), key customers, visits. Errors are RFC 9457 problem details. ' +
    'gRPC (libs/contracts/proto/assignment.proto) on GRPC_PORT.',
  connect: (app, config) => {
    connectEventConsumer(app);
    connectGrpcServer(app, {
      package: ASSIGNMENT_PROTO_PACKAGE,
      protoPath: ASSIGNMENT_PROTO_PATH,
      port: config.GRPC_PORT,
    });
  },
});
