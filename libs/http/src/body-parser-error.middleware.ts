import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';

/**
 * The shape of errors raised by body-parser: http-errors with a `type`, except a body that does not
 * decompress as its Content-Encoding says, which comes as the zlib error with a 4xx `status` added.
 */
interface BodyParserError {
  type?: string;
  status: number;
  code?: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  !(error instanceof HttpException) &&
  typeof (error as BodyParserError).status === 'number' &&
  (typeof (error as BodyParserError).type === 'string' || (error as BodyParserError).status < 500);

export const MALFORMED_BODY = 'MALFORMED_BODY';

/**
 * Express error middleware placed right after the JSON parser. Left alone, Nest would answer a
 * malformed body with the parser's message, which quotes part of the body (possibly PII).
 */
export function bodyParserErrorMiddleware(
  error: unknown,
  _request: unknown,
  _response: unknown,
  next: (error: unknown) => void,
): void {
  if (!isBodyParserError(error)) return next(error);
  next(toHttpException(error));
}

function toHttpException(error: BodyParserError): HttpException {
  if (error.type === undefined && error.code?.startsWith('Z_'))
    return new BadRequestException({
      code: MALFORMED_BODY,
      message: 'The request body does not decode as its Content-Encoding says',
    });
  switch (error.type) {
    case 'entity.parse.failed':
      return new BadRequestException({ code: MALFORMED_BODY, message: 'The request body is not valid JSON' });
    case 'entity.too.large':
      return new PayloadTooLargeException({ code: MALFORMED_BODY, message: 'The request body is too large' });
    default:
      return new HttpException(
        { code: MALFORMED_BODY, message: 'The request body could not be read' },
        error.status >= 400 && error.status < 500 ? error.status : 400,
      );
  }
}
