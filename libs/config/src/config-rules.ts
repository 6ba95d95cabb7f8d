import { accessSync, constants, statSync } from 'node:fs';
import { Transform } from 'class-transformer';
import { IsBoolean, ValidationArguments, registerDecorator } from 'class-validator';

/** Marks a rule whose message explains why an unset variable is needed (instead of a bare "is missing"). */
export const EXPLAINS_MISSING = 'explainsMissing';

let rulesDeclared = 0;

/**
 * A check of one variable against the whole config (e.g. "required when KAFKA_SASL_MECHANISM is
 * set"). It runs whether or not the variable is set, so the check must handle `undefined`.
 */
export function ConfigRule<C extends object>(
  holds: (value: unknown, config: C) => boolean,
  message: string,
): PropertyDecorator {
  // Each rule gets its own name: class-validator keys a property's failures by it.
  const name = `configRule${++rulesDeclared}`;
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, context: { [EXPLAINS_MISSING]: true } },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => holds(value, args.object as C),
      },
    });
}

/** `true` or `false` in the environment (a bare Boolean conversion would read "false" as true). */
export function EnvBoolean(): PropertyDecorator {
  const parse = Transform(({ value, obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return raw === undefined ? value : raw;
  });
  const check = IsBoolean({ message: 'must be true or false' });
  return (target, propertyName) => {
    parse(target, propertyName);
    check(target, propertyName);
  };
}

/** Unset, or the path of a file this process can read. */
function isUnsetOrReadableFile(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string') return false;
  try {
    accessSync(value, constants.R_OK);
    return statSync(value).isFile();
  } catch {
    return false;
  }
}

/** A file path variable: unset, or a readable file. */
export const ReadableFile = (): PropertyDecorator =>
  ConfigRule((value) => isUnsetOrReadableFile(value), 'must be the path of a readable file');
