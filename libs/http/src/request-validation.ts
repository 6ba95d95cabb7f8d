import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { IS_OPTIONAL, ValidationTypes, getMetadataStorage, validate } from 'class-validator';
import { inspectInputShape } from '@crm/contracts';
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

type DtoClass = abstract new (...args: never[]) => unknown;

function optionalPropertiesOf(type: DtoClass): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(type, '', true, false)
      .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === IS_OPTIONAL)
      .map((m) => m.propertyName),
  );
}

/**
 * `@IsOptional()` lets `null` through unvalidated, and services read an optional field as
 * "absent or valid": so a `null` for an optional field is made absent, in nested DTOs too. Fields
 * where null means something (`parentId: null`) use `@ValidateIf`, not `@IsOptional`, and keep it.
 */
export function dropNullOptionals(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      stack.push(...current);
      continue;
    }
    const optional =
      current.constructor === Object ? undefined : optionalPropertiesOf(current.constructor as DtoClass);
    for (const [key, child] of Object.entries(current)) {
      if (child === null && optional?.has(key)) delete (current as Record<string, unknown>)[key];
      else stack.push(child);
    }
  }
}

/** The validation pipe of every service: a null optional field is read as absent (see dropNullOptionals). */
export class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // The input guard checked body and query before the route was known; a path parameter is named here.
    if (metadata.type === 'param') {
      const fields = inspectInputShape(value, metadata.data ?? '').nulPaths;
      if (fields.length > 0)
        throw new RequestValidationException(
          fields.map((field) => ({ field, message: `${field} must not contain NUL characters` })),
        );
    }
    const result: unknown = await super.transform(value, metadata);
    dropNullOptionals(result);
    return result;
  }
}

/** Unknown fields are errors rather than silently dropped, so a misspelt filter cannot widen a query unnoticed. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Rejected values may be PII: they are never echoed back.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}

/**
 * Input that does not arrive through the HTTP pipe (a gRPC request) checked by the same DTO: the typed
 * instance, or a RequestValidationException naming every field at fault.
 */
export async function validatedInput<T extends object>(cls: new () => T, plain: object): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  if (errors.length > 0) throw new RequestValidationException(flattenValidationErrors(errors));
  return instance;
}
