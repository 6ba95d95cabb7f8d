import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './problem-details';

export const VALIDATION_FAILED = 'VALIDATION_FAILED';

/** A request whose body, query or parameters break their DTO's rules; `errors` names every field at fault. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({
      code: VALIDATION_FAILED,
      message: `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`,
    });
  }
}

const childPath = (parent: string, property: string): string =>
  !parent ? property : /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;

/** class-validator's error tree as a flat list of `{ field: 'filters.age.min', message }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = childPath(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? 'is not an allowed field' : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Unknown fields are errors rather than silently dropped, so a misspelt filter cannot widen a query unnoticed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Rejected values may be PII: they are never echoed back.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}
