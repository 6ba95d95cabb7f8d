import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { MAX_INPUT_DEPTH, inspectInputShape } from '@crm/contracts';
import { FieldError } from './problem-details';
import { RequestValidationException } from './request-validation';

export const BODY_TOO_DEEP = 'BODY_TOO_DEEP';
export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';

const JSON_MEDIA_TYPE = 'application/json';
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Throws a 413 for input nested past MAX_INPUT_DEPTH (before class-transformer can overflow the
 * stack on it), and a RequestValidationException naming every field that holds a NUL character.
 */
export function rejectHostileInput(value: unknown, root = ''): void {
  const shape = inspectInputShape(value, root);
  if (shape.tooDeep)
    throw new PayloadTooLargeException({
      code: BODY_TOO_DEEP,
      message: `The request nests deeper than ${MAX_INPUT_DEPTH} levels`,
    });
  if (shape.nulPaths.length > 0) throw new RequestValidationException(nulErrors(shape.nulPaths));
}

function nulErrors(paths: string[]): FieldError[] {
  return paths
    .map((path) => path || 'body')
    .map((field) => ({ field, message: `${field} must not contain NUL characters` }));
}

interface GuardedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: unknown;
  is(type: string): string | false | null;
}

const hasBody = (request: GuardedRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

function safelyDecoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new BadRequestException({
      code: 'MALFORMED_PATH',
      message: 'The request path is not valid percent-encoding',
    });
  }
}

/**
 * Express middleware placed after the JSON parser: what no handler can use is refused as a 4xx
 * before guards, pipes or SQL see it. A body must be JSON; nothing may nest past MAX_INPUT_DEPTH;
 * no query or body value may hold a NUL character.
 */
export function requestInputGuard(
  request: GuardedRequest,
  _response: unknown,
  next: (error?: unknown) => void,
): void {
  try {
    if (METHODS_WITH_BODY.has(request.method) && hasBody(request) && !request.is(JSON_MEDIA_TYPE)) {
      throw new UnsupportedMediaTypeException({
        code: UNSUPPORTED_MEDIA_TYPE,
        message: `The request body must be ${JSON_MEDIA_TYPE}`,
      });
    }
    // Decoding here refuses a malformed path early; a NUL in a path parameter is named by the validation pipe.
    safelyDecoded(request.path);
    rejectHostileInput(request.query);
    rejectHostileInput(request.body);
    next();
  } catch (error) {
    next(error);
  }
}
