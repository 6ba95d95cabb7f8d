import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { TestingModule } from '@nestjs/testing';
import type { IncomingMessage } from 'node:http';
import { DestinationStream } from 'pino';
import type { SwaggerConsoleMode } from '@crm/config';
import {
  LogLevel,
  PinoLogger,
  createLogger,
  httpObservabilityMiddleware,
  metricsForProcess,
} from '@crm/observability';
import { AuthErrorCode, AuthenticationService, authenticationFailed } from '@crm/security';
import { allowedMethodsOf } from './allowed-methods';
import { bodyParserErrorMiddleware } from './body-parser-error.middleware';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestInputGuard } from './request-input.guard';
import { createValidationPipe } from './request-validation';
import { securityHeadersMiddleware } from './security-headers.middleware';

export const API_PREFIX = 'api/v1';
export const DOCS_PATH = 'docs';
const JSON_BODY_LIMIT = '1mb';

export interface HttpAppOptions {
  /** e.g. `customer-service`: on every log line and in the OpenAPI title. */
  serviceName: string;
  logger: PinoLogger;
  /** OpenAPI document version; default 1.0.0. */
  apiVersion?: string;
  description?: string;
  /** Who may open `/docs` and the OpenAPI document; default public (see swaggerConsoleOf for a service's). */
  swaggerConsole?: SwaggerConsoleMode;
}

/**
 * Everything a service's HTTP side shares, in the order it must happen before `init()`:
 * request context and logging first, security headers (no-store on the API), JSON body parsing with
 * safe errors, the input guard (JSON only, nesting depth, NUL characters), problem details,
 * validation, the `/api/v1` prefix (ops routes outside it), shutdown hooks and `/docs`.
 * The app must be created with `bodyParser: false`, so parsing runs inside the request context.
 */
export function configureHttpApp(app: NestExpressApplication, options: HttpAppOptions): void {
  app.useLogger(options.logger);
  app.use(httpObservabilityMiddleware({ logger: options.logger.pino, metrics: metricsForProcess() }));
  app.use(securityHeadersMiddleware(API_PREFIX, DOCS_PATH));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(bodyParserErrorMiddleware);
  app.use(requestInputGuard);
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger, allowedMethodsOf(app)));
  app.useGlobalPipes(createValidationPipe());
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();
  const swaggerConsole = options.swaggerConsole ?? 'public';
  if (swaggerConsole === 'authenticated') app.use(requireTokenForConsole(app.get(AuthenticationService)));
  if (swaggerConsole !== 'off') setUpSwagger(app, options);
}

/** As Express routes it: without the query, and case-insensitive (its default), so `/DOCS-JSON` is the console too. */
function isConsolePath(url: string): boolean {
  const path = url.split('?')[0].toLowerCase();
  return path === `/${DOCS_PATH}` || path.startsWith(`/${DOCS_PATH}/`) || path.startsWith(`/${DOCS_PATH}-`);
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The console's page, assets and OpenAPI document only for a valid bearer token, e.g. one an
 * authenticating proxy in front of the console adds. Failures go on to the problem-details filter.
 */
function requireTokenForConsole(authentication: AuthenticationService) {
  return (request: IncomingMessage, _response: unknown, next: (error?: unknown) => void): void => {
    if (!isConsolePath(request.url ?? '/')) return next();
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token)
      return next(authenticationFailed(AuthErrorCode.TokenMissing, 'The console needs an access token'));
    authentication.authenticateToken(token).then(() => next(), next);
  };
}

function setUpSwagger(app: INestApplication, options: HttpAppOptions): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`${options.serviceName} API`)
      .setDescription(
        options.description ?? `REST API of ${options.serviceName}. Errors are RFC 9457 problem details.`,
      )
      .setVersion(options.apiVersion ?? '1.0.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  // Registered before init, so these routes sit ahead of Nest's not-found handler and outside its guards.
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: `${options.serviceName} console`,
    swaggerOptions: { persistAuthorization: true },
  });
}

export interface TestAppOptions {
  serviceName?: string;
  /** The OpenAPI description, as the service's definition states it. */
  description?: string;
  /** Where log lines go, to assert on them; without it the test app logs nothing. */
  logDestination?: DestinationStream;
  logLevel?: LogLevel;
}

/** An app configured exactly as `bootstrapHttpService` does, initialised but not listening (use with supertest). */
export async function createTestApp(
  moduleRef: TestingModule,
  options: TestAppOptions = {},
): Promise<NestExpressApplication> {
  const serviceName = options.serviceName ?? 'test-service';
  const level = options.logLevel ?? (options.logDestination ? 'info' : 'silent');
  const logger = new PinoLogger(createLogger(serviceName, level, options.logDestination));
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger });
  configureHttpApp(app, { serviceName, logger, description: options.description });
  await app.init();
  return app;
}
