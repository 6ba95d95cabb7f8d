import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import {
  ConfigClass,
  ConfigValidationError,
  GrpcServiceConfig,
  HttpServiceConfig,
  loadConfig,
} from '@crm/config';
import { connectEventConsumer } from '@crm/messaging';
import { createLogger } from '@crm/observability';
import { ServiceStorageOptions, createServiceDataSource, migrate } from '@crm/persistence';
import { PiiKeyMismatchError, checkPiiKeys } from '@crm/security';
import { bootstrapHttpService } from './bootstrap-http-service';
import { GrpcContract, connectGrpcServer } from './grpc/grpc-call';

/** The config of a service with storage: its schema has a default, so it is always set. */
export type StoredServiceConfig = HttpServiceConfig & { DATABASE_SCHEMA: string };

/**
 * What a service is, stated once in its `service.ts`: main.ts runs it (`runService`) and its
 * integration tests start it (the service harness) from the same definition.
 */
export interface ServiceDefinition<C extends StoredServiceConfig = StoredServiceConfig> {
  serviceName: string;
  configClass: ConfigClass<C>;
  /** The service's migrations, applied to DATABASE_SCHEMA before it serves. */
  migrations: NonNullable<ServiceStorageOptions['migrations']>;
  appModule: Type<unknown> | DynamicModule;
  /** The OpenAPI description. */
  description: string;
  /** The service's gRPC contract, served on GRPC_PORT (the config must be a `GrpcServiceConfig`). */
  grpc?: C extends GrpcServiceConfig ? GrpcContract : never;
}

/** Where a started instance attaches its event consumer and gRPC server; a test's own choices. */
export interface ConnectOptions {
  /** Default `<KAFKA_TOPIC_PREFIX><service>`: every instance of a deployment shares the group. */
  consumerGroupId?: string;
  /** Default every interface (0.0.0.0). */
  grpcHost?: string;
}

/**
 * A service's whole main.ts: validate the environment, apply pending migrations (the consumer and
 * the API read the tables they create), check the PII keys against the schema's, then serve.
 * `main.ts migrate` only applies the migrations and checks the keys, for a deployment's pre-start
 * job. A bad variable, or PII keys other than those the schema's data was written with, ends the
 * process with code 2, naming it.
 */
export function runService<C extends StoredServiceConfig>(
  definition: ServiceDefinition<C>,
  argv: string[] = process.argv.slice(2),
): void {
  const log = createLogger(definition.serviceName);
  start(definition, argv, log).catch((error: unknown) => {
    if (error instanceof ConfigValidationError || error instanceof PiiKeyMismatchError) {
      log.fatal({ msg: error.message });
      process.exit(2);
    }
    log.fatal({ msg: 'start-up failed', err: error });
    process.exit(1);
  });
}

async function start<C extends StoredServiceConfig>(
  definition: ServiceDefinition<C>,
  argv: string[],
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const config = loadConfig(definition.configClass, process.env, definition.serviceName);
  await prepareStorage(definition, config, log);
  if (argv[0] === 'migrate') return;
  const app = await bootstrapHttpService(definition.appModule, {
    serviceName: definition.serviceName,
    config,
    description: definition.description,
  });
  connectService(app, definition);
  await app.startAllMicroservices();
}

/** Applies the service's pending migrations to its schema and checks the PII keys against the schema's. */
export async function prepareStorage<C extends StoredServiceConfig>(
  definition: ServiceDefinition<C>,
  config: C,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const dataSource = await createServiceDataSource({
    schema: config.DATABASE_SCHEMA,
    migrations: definition.migrations,
    applicationName: `${definition.serviceName}-migrate`,
    url: config.DATABASE_URL,
    poolSize: 1,
  }).initialize();
  try {
    const report = await migrate(dataSource);
    log.info({ msg: 'migrations applied', schema: report.schema, applied: report.applied });
    const keys = await checkPiiKeys(dataSource, {
      encryptionKey: config.PII_ENCRYPTION_KEY,
      hashKey: config.PII_HASH_KEY,
    });
    log.info({ msg: `PII keys ${keys}`, schema: report.schema });
  } finally {
    await dataSource.destroy();
  }
}

/** Attaches the service's event consumer and, where it has one, its gRPC server; start them with `startAllMicroservices`. */
export function connectService<C extends StoredServiceConfig>(
  app: INestApplication,
  definition: ServiceDefinition<C>,
  options: ConnectOptions = {},
): void {
  connectEventConsumer(app, { groupId: options.consumerGroupId });
  const grpc = definition.grpc as GrpcContract | undefined;
  if (grpc)
    connectGrpcServer(app, {
      ...grpc,
      port: app.get(GrpcServiceConfig).GRPC_PORT,
      host: options.grpcHost,
    });
}
