import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validateSync } from 'class-validator';
import { ConfigValidationError } from './config.error';
import { EXPLAINS_MISSING } from './config-rules';

export type ConfigClass<T> = new () => T;

/**
 * Reads a service's settings from the environment into a validated instance of `cls`.
 * Property names are the variable names; property initialisers are the local-stack defaults.
 */
export function loadConfig<T extends object>(
  cls: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
  service = cls.name,
): T {
  const present = Object.fromEntries(
    envKeysOf(cls).flatMap((key) => (env[key] === undefined || env[key] === '' ? [] : [[key, env[key]]])),
  );
  const config = plainToInstance(cls, present, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      service,
      errors.map((e) => ({ variable: e.property, problems: problemsOf(e) })),
    );
  }
  return config;
}

/** What is wrong with one variable; an unset one "is missing" unless a rule says why it is needed. */
function problemsOf(error: ValidationError): string[] {
  const constraints = Object.entries(error.constraints ?? {});
  if (error.value !== undefined) return constraints.map(([, m]) => m.replace(error.property, 'value'));
  const explained = constraints
    .filter(([name]) => (error.contexts?.[name] as Record<string, unknown> | undefined)?.[EXPLAINS_MISSING])
    .map(([, m]) => m);
  return explained.length > 0 ? explained : ['is missing'];
}

/** Every variable a configuration class declares (used to check deployment files cover them). */
export function envKeysOf(cls: ConfigClass<object>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}
