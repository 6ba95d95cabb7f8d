import { Writable } from 'node:stream';
import { runWithContext } from '../context/request-context';
import { createLogger } from './create-logger';
import { PinoLogger } from './pino-logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('PinoLogger', () => {
  it('writes JSON lines with service, level, time, msg and Nest context', () => {
    const { stream, lines } = capture();
    new PinoLogger(createLogger('alert-service', 'info', stream)).log('started', 'Bootstrap');
    const [line] = lines();
    expect(line).toMatchObject({
      service: 'alert-service',
      level: 'info',
      msg: 'started',
      context: 'Bootstrap',
    });
    expect(Date.parse(line.time as string)).not.toBeNaN();
  });

  it('adds the correlation id and user of the current context', () => {
    const { stream, lines } = capture();
    const logger = new PinoLogger(createLogger('alert-service', 'info', stream));
    runWithContext({ correlationId: 'corr-1', userId: 'alice' }, () => logger.warn('inside'));
    logger.warn('outside');
    expect(lines()[0]).toMatchObject({
      level: 'warn',
      msg: 'inside',
      correlationId: 'corr-1',
      userId: 'alice',
    });
    expect(lines()[1]).not.toHaveProperty('correlationId');
  });

  it('keeps the stack Nest passes to error() apart from the context', () => {
    const { stream, lines } = capture();
    const stack = 'Error: boom\n    at handler (file.ts:1:1)';
    new PinoLogger(createLogger('svc', 'info', stream)).error('boom', stack, 'ExceptionsHandler');
    expect(lines()[0]).toMatchObject({ level: 'error', msg: 'boom', stack, context: 'ExceptionsHandler' });
  });

  it('serialises an Error message and object fields', () => {
    const { stream, lines } = capture();
    const logger = new PinoLogger(createLogger('svc', 'info', stream));
    logger.error(new Error('db down'));
    logger.log({ msg: 'alert raised', alertId: 'A-1' }, 'AlertService');
    expect(lines()[0]).toMatchObject({ msg: 'db down', err: { type: 'Error', message: 'db down' } });
    expect(lines()[1]).toMatchObject({ msg: 'alert raised', alertId: 'A-1', context: 'AlertService' });
  });

  it('censors PII-bearing keys and the authorization header', () => {
    const { stream, lines } = capture();
    new PinoLogger(createLogger('svc', 'info', stream)).log({
      msg: 'careless',
      idNumber: '110105199003071234',
      customer: { phone: '13812345678', name: 'kept' },
      headers: { authorization: 'Bearer abc' },
    });
    const [line] = lines();
    expect(JSON.stringify(line)).not.toMatch(/110105199003071234|13812345678|Bearer abc/);
    expect(line).toMatchObject({ idNumber: '[REDACTED]', customer: { phone: '[REDACTED]', name: 'kept' } });
  });

  it('logs a database error by class, SQLSTATE and schema names, never its SQL, parameters or values', () => {
    const { stream, lines } = capture();
    // As TypeORM's QueryFailedError carries pg's DatabaseError: the SQL, its parameters and the driver's fields.
    class QueryFailedError extends Error {
      query = 'INSERT INTO visit (note) VALUES ($1)';
      parameters = ['客户张三说他想买理财'];
      driverError = { detail: 'Failing row contains (客户张三说他想买理财)' };
      detail = 'Failing row contains (客户张三说他想买理财)';
      code = '23514';
      severity = 'ERROR';
      routine = 'ExecConstraints';
      table = 'visit';
    }
    const error = new QueryFailedError('invalid input syntax: "客户张三说他想买理财"');
    const logger = new PinoLogger(createLogger('svc', 'info', stream));
    logger.error({ msg: 'unhandled error', err: error });
    logger.error(error);
    const text = lines()
      .map((line) => JSON.stringify(line))
      .join('\n');
    expect(text).not.toMatch(/张三|INSERT|Failing row/);
    expect(lines()[0]).toMatchObject({
      err: {
        type: 'QueryFailedError',
        code: '23514',
        table: 'visit',
        stack: expect.stringMatching(/^\s+at /),
      },
    });
    expect(lines()[1]).toMatchObject({ msg: 'QueryFailedError (SQLSTATE 23514)' });
  });

  it('honours the level', () => {
    const { stream, lines } = capture();
    const logger = new PinoLogger(createLogger('svc', 'warn', stream));
    logger.log('dropped');
    logger.debug('dropped');
    logger.error('kept');
    expect(lines().map((l) => l.msg)).toEqual(['kept']);
  });
});
