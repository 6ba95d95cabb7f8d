import { IsInt, Min } from 'class-validator';
import { ConfigValidationError } from './config.error';
import { envKeysOf, loadConfig } from './load-config';
import { HttpServiceConfig } from './service.config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const validEnv = { JWT_SECRET: 'x'.repeat(32), PII_ENCRYPTION_KEY: KEY, PII_HASH_KEY: KEY };

class WorkerConfig extends HttpServiceConfig {
  @IsInt()
  @Min(1)
  BATCH_SIZE: number = 100;
}

describe('loadConfig', () => {
  it('applies local-stack defaults and converts numbers', () => {
    const config = loadConfig(WorkerConfig, { ...validEnv, PORT: '3101' });
    expect(config.PORT).toBe(3101);
    expect(config.BATCH_SIZE).toBe(100);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/crm');
  });

  it('names a missing variable clearly', () => {
    const { JWT_SECRET: _omitted, ...env } = validEnv;
    expect(() => loadConfig(WorkerConfig, env, 'alert-service')).toThrow(
      /alert-service: invalid configuration\n {2}- JWT_SECRET: is missing/,
    );
  });

  it('names every bad variable with what is wrong', () => {
    let error: unknown;
    try {
      loadConfig(WorkerConfig, { ...validEnv, PORT: '70000', KAFKA_BROKERS: 'nohost', BATCH_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['BATCH_SIZE', 'KAFKA_BROKERS', 'PORT']);
    expect(problems.find((p) => p.variable === 'KAFKA_BROKERS')?.problems).toEqual([
      'must be a comma-separated list of host:port',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(WorkerConfig, { ...validEnv, LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });

  it('lists every variable a config class declares', () => {
    expect(envKeysOf(WorkerConfig)).toEqual(
      expect.arrayContaining([
        'BATCH_SIZE',
        'DATABASE_URL',
        'JWT_SECRET',
        'KAFKA_BROKERS',
        'PII_HASH_KEY',
        'PORT',
      ]),
    );
  });
});
