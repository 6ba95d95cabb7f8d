import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { FieldError, RequestValidationException } from '@crm/http';

/** Paths of strings holding U+0000 anywhere in a value (PostgreSQL text cannot store it). */
export function nulCharacterPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulCharacterPaths(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) =>
      nulCharacterPaths(child, path ? `${path}.${key}` : key),
    );
  return [];
}

/**
 * Answers 400 naming the field for text the database would refuse with an error (a NUL character),
 * instead of letting the insert fail as a server error.
 */
@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const errors: FieldError[] = nulCharacterPaths(value, metadata.data ?? '').map((field) => ({
      field,
      message: `${field} must not contain NUL characters`,
    }));
    if (errors.length > 0) throw new RequestValidationException(errors);
    return value;
  }
}
