import { NestExpressApplication } from '@nestjs/platform-express';
import { DynamicModule, Type } from '@nestjs/common';
import { ConfigClass, ConfigValidationError, HttpServiceConfig, loadConfig } from '@crm/config';
import { createLogger } from '@crm/observability';
import { ServiceStorageOptions, createServiceDataSource, migrate } from '@crm/persistence';
import { PiiKeyMismatchError, checkPiiKeys } from '@crm/security';
import { bootstrapHttpService } from './bootstrap-http-service';

export interface RunServiceOptions<C extends HttpServiceConfig> {
  serviceName: string;
  configClass: ConfigClass<C>;
  /** The service's schema and migrations, from its validated config. */
  storage: (config: C) => Omit<ServiceStorageOptions, 'url'>;
  appModule: Type<unknown> | DynamicModule;
  description: string;
  /** Attaches the event consumer, gRPC and the like before the microservices start. */
  connect: (app: NestExpressApplication, config: C) => void;
}

/**
 * A service's whole main.ts: validate the environment, apply pending migrations (the consumer and
 * the API read the tables they create), check the PII keys against the schema's, then serve.
 * `main.ts migrate` only applies the migrations and checks the keys, for a deployment's pre-start
 * job. A bad variable, or PII keys other than those the schema's data was written with, ends the
 * process with code 2, naming it.
 */
export function runService<C extends HttpServiceConfig>(
  options: RunServiceOptions<C>,
  argv: string[] = process.argv.slice(2),
): void {
  const log = createLogger(options.serviceName);
  start(options, argv, log).catch((error: unknown) => {
    if (error instanceof ConfigValidationError || error instanceof PiiKeyMismatchError) {
      log.fatal({ msg: error.message });
      process.exit(2);
    }
    log.fatal({ msg: 'start-up failed', err: error });
    process.exit(1);
  });
}

async function start<C extends HttpServiceConfig>(
  options: RunServiceOptions<C>,
  argv: string[],
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const config = loadConfig(options.configClass, process.env, options.serviceName);
  const dataSource = await createServiceDataSource({
    ...options.storage(config),
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
  if (argv[0] === 'migrate') return;
  const app = await bootstrapHttpService(options.appModule, {
    serviceName: options.serviceName,
    config,
    description: options.description,
  });
  options.connect(app, config);
  await app.startAllMicroservices();
}
