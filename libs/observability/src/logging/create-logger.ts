import pino, { DestinationStream, Logger } from 'pino';
import { currentContext } from '../context/request-context';
import { serializeError } from './error-fields';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Keys that may hold personal data or credentials: services must not log them, and if one slips through it is censored. */
export const REDACTED_LOG_KEYS = [
  'idNumber',
  'idNo',
  'phone',
  'phoneNumber',
  'mobile',
  'authorization',
  'cookie',
  'password',
] as const;

// Top level and up to two objects deep (e.g. `dto.customer.phone`); deeper paths cost more on every line than they save.
const REDACT_PATHS = REDACTED_LOG_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * A JSON logger for one service: every line carries service, level, time, msg and, inside a
 * request or message, its correlation id and caller.
 */
export function createLogger(
  service: string,
  level: LogLevel = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: 'msg',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { err: serializeError },
      mixin: () => {
        const context = currentContext();
        return context
          ? { correlationId: context.correlationId, ...(context.userId ? { userId: context.userId } : {}) }
          : {};
      },
    },
    destination,
  );
}
