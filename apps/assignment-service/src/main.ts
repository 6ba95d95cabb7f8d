import { ConfigValidationError, loadConfig } from '@crm/config';
import { bootstrapHttpService, connectGrpcServer } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { AssignmentServiceConfig } from './app.config';
import { AppModule, DEFAULT_SCHEMA, SERVICE_NAME } from './app.module';
import { ASSIGNMENT_PROTO_PACKAGE, ASSIGNMENT_PROTO_PATH } from './grpc/assignment-grpc.controller';
import { ASSIGNMENT_MIGRATIONS } from './migrations';

/**
 * `main.ts` applies pending migrations, then serves HTTP and consumes core-banking events;
 * `main.ts migrate` only applies the migrations (for a deployment's pre-start job).
 */
async function main(argv: string[]): Promise<number> {
  let config: AssignmentServiceConfig;
  try {
    config = loadConfig(AssignmentServiceConfig, process.env, SERVICE_NAME);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const report = await migrate(
    createServiceDataSource({
      schema: DEFAULT_SCHEMA,
      url: config.DATABASE_URL,
      migrations: ASSIGNMENT_MIGRATIONS,
      applicationName: `${SERVICE_NAME}-migrate`,
      poolSize: 1,
    }),
  );
  if (argv[0] === 'migrate') {
    console.log(
      `${SERVICE_NAME}: schema ${report.schema}, applied ${report.applied.length ? report.applied.join(', ') : 'nothing (up to date)'}`,
    );
    return 0;
  }
  const app = await bootstrapHttpService(AppModule.forRoot(), {
    serviceName: SERVICE_NAME,
    config,
    description:
      'Coverage (主协办), key customers, visits. Errors are RFC 9457 problem details. ' +
      'gRPC (libs/contracts/proto/assignment.proto) on GRPC_PORT.',
  });
  connectEventConsumer(app);
  connectGrpcServer(app, {
    package: ASSIGNMENT_PROTO_PACKAGE,
    protoPath: ASSIGNMENT_PROTO_PATH,
    port: config.GRPC_PORT,
  });
  await app.startAllMicroservices();
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
