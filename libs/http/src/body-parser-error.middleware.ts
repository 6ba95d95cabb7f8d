import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';

/** The shape of errors raised by body-parser (http-errors with a `type`). */
interface BodyParserError {
  type: string;
  status: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as BodyParserError).type === 'string' &&
  typeof (error as BodyParserError).status === 'number';

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
