import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HttpServiceConfig, swaggerConsoleOf } from '@crm/config';
import { PinoLogger, createLogger } from '@crm/observability';
import { API_PREFIX, DOCS_PATH, configureHttpApp } from './http-app';

export interface BootstrapHttpServiceOptions {
  serviceName: string;
  /** The validated config (e.g. `loadConfig(CustomerServiceConfig)`): log level and port. */
  config: HttpServiceConfig;
  apiVersion?: string;
  description?: string;
}

/** Creates, configures and starts a service's HTTP app; the one call in an app's main.ts. */
export async function bootstrapHttpService(
  appModule: Type<unknown> | DynamicModule,
  options: BootstrapHttpServiceOptions,
): Promise<NestExpressApplication> {
  const logger = new PinoLogger(createLogger(options.serviceName, options.config.LOG_LEVEL));
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    bodyParser: false,
    logger,
  });
  const swaggerConsole = swaggerConsoleOf(options.config);
  configureHttpApp(app, { ...options, logger, swaggerConsole });
  await app.listen(options.config.PORT);
  const base = `http://localhost:${options.config.PORT}`;
  const consoleLine =
    swaggerConsole === 'off'
      ? 'console off (SWAGGER_CONSOLE)'
      : `console ${base}/${DOCS_PATH} (${swaggerConsole}), OpenAPI ${base}/${DOCS_PATH}-json`;
  logger.log(
    `${options.serviceName} listening: API ${base}/${API_PREFIX}, ${consoleLine}, ` +
      `health ${base}/health/ready, metrics ${base}/metrics`,
    'Bootstrap',
  );
  return app;
}
