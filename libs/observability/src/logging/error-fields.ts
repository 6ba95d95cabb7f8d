import pino from 'pino';

/**
 * Where database drivers put SQL, its bind parameters and row values (TypeORM's QueryFailedError,
 * pg's DatabaseError): a logged error would otherwise carry names, ID numbers or visit notes.
 */
const UNSAFE_ERROR_KEYS = [
  'query',
  'parameters',
  'driverError',
  'detail',
  'where',
  'hint',
  'internalQuery',
  'position',
  'internalPosition',
] as const;

/** Schema names only: which table, column or constraint a database error is about. */
const SCHEMA_KEYS = ['table', 'column', 'constraint', 'dataType', 'schema'] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** An error raised by the database or about one statement: its message may quote values. */
export function isDatabaseError(error: unknown): boolean {
  if (!isObject(error)) return false;
  return (
    'query' in error ||
    'parameters' in error ||
    'driverError' in error ||
    (typeof error.severity === 'string' && typeof error.code === 'string' && 'routine' in error)
  );
}

/** The error's class (`QueryFailedError`, `TypeError` …): what a log line may always say. */
export function errorClassOf(error: unknown): string {
  if (isObject(error)) {
    const ctor = (error as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== 'Object') return ctor.name;
    if (typeof error.name === 'string') return error.name;
  }
  return typeof error;
}

/** A message safe to log: a database error's own message may quote the value it refused. */
export function safeErrorMessage(error: unknown): string {
  if (isDatabaseError(error)) {
    const code = (error as { code?: unknown }).code;
    return `${errorClassOf(error)}${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

const stackFrames = (stack: unknown): string | undefined =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n')
    : undefined;

/**
 * pino's `err` serializer for every service: the standard one, without SQL, parameters or values.
 * A database error keeps its class, SQLSTATE, the schema names it is about and its stack frames.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!isObject(error)) return { type: typeof error, message: String(error) };
  if (isDatabaseError(error)) {
    const fields: Record<string, unknown> = {
      type: errorClassOf(error),
      message: safeErrorMessage(error),
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
      stack: stackFrames(error.stack),
    };
    for (const key of SCHEMA_KEYS) if (typeof error[key] === 'string') fields[key] = error[key];
    return fields;
  }
  const serialized = { ...pino.stdSerializers.err(error as unknown as Error) } as Record<string, unknown>;
  for (const key of UNSAFE_ERROR_KEYS) delete serialized[key];
  return serialized;
}
