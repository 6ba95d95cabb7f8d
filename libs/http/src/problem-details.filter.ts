import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  LoggerService,
} from '@nestjs/common';
import { currentContext, errorClassOf } from '@crm/observability';
import { AllowedMethods } from './allowed-methods';
import { DomainErrorKind, DomainException } from './domain.exception';
import {
  FieldError,
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  problemTypeOf,
  statusTitle,
} from './problem-details';
import { RequestValidationException } from './request-validation';

/** The one place a domain error kind becomes an HTTP status. */
export const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, HttpStatus>> = {
  [DomainErrorKind.InvalidInput]: HttpStatus.BAD_REQUEST,
  [DomainErrorKind.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorKind.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorKind.RuleViolation]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorKind.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorKind.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

export const ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND';
export const METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED';
const INTERNAL_ERROR = 'INTERNAL_ERROR';

interface HttpRequestLike {
  method: string;
  originalUrl?: string;
  url: string;
}

interface HttpResponseLike {
  headersSent: boolean;
  status(code: number): HttpResponseLike;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  send(body: string): unknown;
  end(): unknown;
}

interface Outcome {
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  /** For a 405: the methods the path serves. */
  allow?: string[];
}

/** Reads `{ code, message }` from an HttpException's response body, as security and this lib raise them. */
function bodyOf(exception: HttpException): Pick<Outcome, 'code' | 'detail'> {
  const response = exception.getResponse();
  if (typeof response === 'string') return { detail: response };
  const { code, message } = response as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    detail: Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message,
  };
}

/** Every error an HTTP request can end in becomes RFC 9457 problem details (`application/problem+json`). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: LoggerService,
    private readonly allowedMethods: AllowedMethods = () => [],
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponseLike>();
    const path = (request.originalUrl ?? request.url).split('?')[0];
    const outcome = this.outcomeOf(exception, request, path);
    const correlationId = currentContext()?.correlationId;

    if (response.headersSent) {
      response.end();
      return;
    }
    const problem: ProblemDetails = {
      type: problemTypeOf(outcome.code),
      title: statusTitle(outcome.status),
      status: outcome.status,
      detail: outcome.detail,
      instance: path,
      ...(outcome.code ? { code: outcome.code } : {}),
      ...(outcome.errors ? { errors: outcome.errors } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
    if (outcome.status === HttpStatus.UNAUTHORIZED && !response.getHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', 'Bearer');
    }
    if (outcome.allow) response.setHeader('Allow', outcome.allow.join(', '));
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.status(outcome.status).send(JSON.stringify(problem));
  }

  private outcomeOf(exception: unknown, request: HttpRequestLike, path: string): Outcome {
    if (exception instanceof RequestValidationException) {
      return { status: HttpStatus.BAD_REQUEST, ...bodyOf(exception), errors: exception.errors };
    }
    if (exception instanceof DomainException) {
      return {
        status: STATUS_BY_KIND[exception.kind] ?? HttpStatus.INTERNAL_SERVER_ERROR,
        code: exception.code,
        detail: exception.message,
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < HttpStatus.INTERNAL_SERVER_ERROR) {
      const { code, detail } = bodyOf(exception);
      // Nest's router says `Cannot GET <url>` including the query string; say it without.
      if (
        exception.getStatus() === HttpStatus.NOT_FOUND &&
        detail === `Cannot ${request.method} ${request.originalUrl ?? request.url}`
      ) {
        const allow = this.allowedMethods(path);
        if (allow.length > 0)
          return {
            status: HttpStatus.METHOD_NOT_ALLOWED,
            code: METHOD_NOT_ALLOWED,
            detail: `${request.method} is not allowed on ${path}; allowed: ${allow.join(', ')}`,
            allow,
          };
        return {
          status: HttpStatus.NOT_FOUND,
          code: ROUTE_NOT_FOUND,
          detail: `No route matches ${request.method} ${path}`,
        };
      }
      return { status: exception.getStatus(), code, detail };
    }
    if (exception instanceof HttpException && exception.getStatus() !== HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.warn(
        {
          msg: 'request failed with a server-side status',
          status: exception.getStatus(),
          errorClass: errorClassOf(exception),
          err: exception,
        },
        ProblemDetailsFilter.name,
      );
      return { status: exception.getStatus(), ...bodyOf(exception) };
    }
    // The class, correlation id (on every line) and stack frames; never SQL, parameters or values (see serializeError).
    this.logger.error(
      {
        msg: 'unhandled error',
        errorClass: errorClassOf(exception),
        method: request.method,
        path,
        err: exception,
      },
      ProblemDetailsFilter.name,
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: INTERNAL_ERROR,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
    };
  }
}
