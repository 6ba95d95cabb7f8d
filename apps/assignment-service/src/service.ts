import { ASSIGNMENT_PROTO } from '@crm/contracts';
import { ServiceDefinition } from '@crm/http';
import { AssignmentServiceConfig } from './app.config';
import { AppModule, SERVICE_NAME } from './app.module';
import { ASSIGNMENT_MIGRATIONS } from './migrations';

/** assignment-service as main.ts runs it and its integration tests start it. */
export const ASSIGNMENT_SERVICE: ServiceDefinition<AssignmentServiceConfig> = {
  serviceName: SERVICE_NAME,
  configClass: AssignmentServiceConfig,
  migrations: ASSIGNMENT_MIGRATIONS,
  appModule: AppModule,
  description:
    'Coverage (主协办), key customers, visits. Errors are RFC 9457 problem details. ' +
    'gRPC (libs/contracts/proto/assignment.proto) on GRPC_PORT.',
  grpc: { package: ASSIGNMENT_PROTO.package, protoPath: ASSIGNMENT_PROTO.path },
};
