import { LoggerService } from '@nestjs/common';
import { Level, Logger } from 'pino';
import { safeErrorMessage } from './error-fields';

const STACK_FRAME = /\n\s+at /;

/**
 * Nest's LoggerService over pino, so framework lines and `new Logger(Context)` calls in services
 * come out as the same structured JSON as everything else.
 */
export class PinoLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes `(message, ...extras, context)`, and for errors `(message, stack?, context)`.
   * A message may also be an Error or an object of fields with an optional `msg`.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (
      rest.length > 0 &&
      typeof rest[rest.length - 1] === 'string' &&
      !STACK_FRAME.test(rest[rest.length - 1] as string)
    ) {
      fields.context = rest.pop();
    }
    for (const extra of rest) {
      if (extra instanceof Error) fields.err = extra;
      else if (typeof extra === 'string' && STACK_FRAME.test(extra)) fields.stack = extra;
      else if (extra !== undefined) fields.extra = extra;
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, safeErrorMessage(message));
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...objectFields } = message as Record<string, unknown>;
      this.pino[level]({ ...fields, ...objectFields }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
