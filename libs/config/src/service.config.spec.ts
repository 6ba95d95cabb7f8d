import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config.error';
import { loadConfig } from './load-config';
import { GrpcServiceConfig, HttpServiceConfig, ServiceConfig, swaggerConsoleOf } from './service.config';

const randomKey = (): string => randomBytes(32).toString('base64');

/** What a production deployment sets: keys of its own and the OIDC provider's key set. */
const productionEnv = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://crm:s3cret-from-vault@db.bank.internal:5432/crm',
  JWT_JWKS_URL: 'https://sso.bank.internal/realms/crm/protocol/openid-connect/certs',
  PII_ENCRYPTION_KEY: randomKey(),
  PII_HASH_KEY: randomKey(),
});

const devEnv = (): NodeJS.ProcessEnv => ({
  JWT_SECRET: randomBytes(24).toString('hex'),
  PII_ENCRYPTION_KEY: randomKey(),
  PII_HASH_KEY: randomKey(),
});

// Created while the tables of cases are built, which happens before any beforeAll.
const dir = mkdtempSync(join(tmpdir(), 'service-config-'));
const pem = join(dir, 'file.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The refusal, as variable → problems; fails the test when the config is accepted. */
function problemsOf(cls: new () => object, env: NodeJS.ProcessEnv): Record<string, string[]> {
  try {
    loadConfig(cls, env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.problems]));
  }
  throw new Error('the configuration was accepted');
}

describe('production refuses published and weak secrets', () => {
  it('accepts a production environment with keys of its own', () => {
    const config = loadConfig(HttpServiceConfig, productionEnv());
    expect(config.NODE_ENV).toBe('production');
    expect(config.JWT_SECRET).toBeUndefined();
  });

  it.each([
    ["docker-compose.yml's key", 'ZGV2LW9ubHktcGlpLWVuY3J5cHRpb24ta2V5LTAwMDE='],
    ['a test harness key (one byte repeated)', Buffer.alloc(32, 1).toString('base64')],
    ['text rather than random bytes', Buffer.from('my-own-pii-key-but-just-text-001').toString('base64')],
  ])('refuses %s as PII_ENCRYPTION_KEY and PII_HASH_KEY', (_, key) => {
    const problems = problemsOf(HttpServiceConfig, {
      ...productionEnv(),
      PII_ENCRYPTION_KEY: key,
      PII_HASH_KEY: key,
    });
    expect(Object.keys(problems).sort()).toEqual(['PII_ENCRYPTION_KEY', 'PII_HASH_KEY']);
    expect(problems.PII_HASH_KEY).toEqual([expect.stringMatching(/published dev key or not random/)]);
  });

  it('accepts the same weak keys outside production (tests use them)', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(() =>
      loadConfig(HttpServiceConfig, { ...devEnv(), PII_ENCRYPTION_KEY: key, PII_HASH_KEY: key }),
    ).not.toThrow();
  });

  it("refuses docker-compose.yml's database password", () => {
    expect(
      problemsOf(HttpServiceConfig, {
        ...productionEnv(),
        DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/crm',
      }),
    ).toEqual({ DATABASE_URL: [expect.stringMatching(/password published in docker-compose.yml/)] });
  });
});

describe('token verification settings', () => {
  it('refuses a shared HS256 secret in production and asks for the JWKS URL', () => {
    const { JWT_JWKS_URL: _unset, ...env } = productionEnv();
    expect(
      problemsOf(HttpServiceConfig, { ...env, JWT_SECRET: 'dev-only-jwt-secret-do-not-use-in-production' }),
    ).toEqual({
      JWT_JWKS_URL: [expect.stringMatching(/^is required in production/)],
      JWT_SECRET: [expect.stringMatching(/^is refused in production/)],
    });
  });

  it('refuses a JWKS URL over plain http in production but takes it in development', () => {
    const url = 'http://127.0.0.1:8080/certs';
    expect(problemsOf(HttpServiceConfig, { ...productionEnv(), JWT_JWKS_URL: url })).toEqual({
      JWT_JWKS_URL: [expect.stringMatching(/https/)],
    });
    const { JWT_SECRET: _unset, ...env } = devEnv();
    expect(loadConfig(HttpServiceConfig, { ...env, JWT_JWKS_URL: url }).JWT_JWKS_URL).toBe(url);
  });

  it('takes one verifier: never a JWKS URL and a shared secret together', () => {
    expect(problemsOf(HttpServiceConfig, { ...devEnv(), JWT_JWKS_URL: 'https://sso/certs' })).toEqual({
      JWT_SECRET: [expect.stringMatching(/must not be set with JWT_JWKS_URL/)],
    });
  });

  it('needs one of them in development, and a long enough secret', () => {
    const { JWT_SECRET: _unset, ...env } = devEnv();
    expect(problemsOf(HttpServiceConfig, env)).toEqual({
      JWT_SECRET: [expect.stringMatching(/^is missing: .*JWT_JWKS_URL/)],
    });
    expect(problemsOf(HttpServiceConfig, { ...env, JWT_SECRET: 'short' })).toEqual({
      JWT_SECRET: ['must be at least 32 characters'],
    });
  });
});

describe('the Swagger console', () => {
  it('is public by default outside production and off by default in production', () => {
    expect(swaggerConsoleOf(loadConfig(HttpServiceConfig, devEnv()))).toBe('public');
    expect(swaggerConsoleOf(loadConfig(HttpServiceConfig, productionEnv()))).toBe('off');
  });

  it('is public in production only when asked for by SWAGGER_CONSOLE', () => {
    for (const mode of ['public', 'authenticated', 'off'] as const) {
      const config = loadConfig(HttpServiceConfig, { ...productionEnv(), SWAGGER_CONSOLE: mode });
      expect(swaggerConsoleOf(config)).toBe(mode);
    }
    expect(problemsOf(HttpServiceConfig, { ...productionEnv(), SWAGGER_CONSOLE: 'open' })).toEqual({
      SWAGGER_CONSOLE: ['must be one of public, authenticated, off'],
    });
  });
});

describe('Kafka TLS and SASL settings', () => {
  it('takes a complete set', () => {
    const config = loadConfig(ServiceConfig, {
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: pem,
      KAFKA_SSL_CERT_FILE: pem,
      KAFKA_SSL_KEY_FILE: pem,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'crm',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512' });
  });

  it('reads KAFKA_SSL=false as false, and refuses anything but true or false', () => {
    expect(loadConfig(ServiceConfig, { KAFKA_SSL: 'false' }).KAFKA_SSL).toBe(false);
    expect(problemsOf(ServiceConfig, { KAFKA_SSL: 'yes' })).toEqual({ KAFKA_SSL: ['must be true or false'] });
  });

  it.each<[string, NodeJS.ProcessEnv, Record<string, string[]>]>([
    ['files without KAFKA_SSL', { KAFKA_SSL_CA_FILE: pem }, { KAFKA_SSL_CA_FILE: ['needs KAFKA_SSL=true'] }],
    [
      'a certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem },
      {
        KAFKA_SSL_CERT_FILE: [expect.stringMatching(/KAFKA_SSL_KEY_FILE are set together/)],
        KAFKA_SSL_KEY_FILE: [expect.stringMatching(/KAFKA_SSL_CERT_FILE are set together/)],
      },
    ],
    [
      'a file that is not there',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nowhere/ca.pem' },
      { KAFKA_SSL_CA_FILE: ['must be the path of a readable file'] },
    ],
    [
      'a mechanism without credentials',
      { KAFKA_SASL_MECHANISM: 'scram-sha-256' },
      {
        KAFKA_SASL_USERNAME: [expect.stringMatching(/needed with KAFKA_SASL_MECHANISM/)],
        KAFKA_SASL_PASSWORD: [expect.stringMatching(/needed with KAFKA_SASL_MECHANISM/)],
      },
    ],
    [
      'credentials without a mechanism',
      { KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 'secret' },
      {
        KAFKA_SASL_USERNAME: [expect.stringMatching(/needed with KAFKA_SASL_MECHANISM/)],
        KAFKA_SASL_PASSWORD: [expect.stringMatching(/needed with KAFKA_SASL_MECHANISM/)],
      },
    ],
    [
      'an unknown mechanism',
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 'secret' },
      { KAFKA_SASL_MECHANISM: ['must be one of scram-sha-256, scram-sha-512, plain'] },
    ],
    [
      'PLAIN without TLS in production',
      {
        NODE_ENV: 'production',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'crm',
        KAFKA_SASL_PASSWORD: 'secret',
      },
      { KAFKA_SASL_MECHANISM: [expect.stringMatching(/needs KAFKA_SSL=true/)] },
    ],
  ])('refuses %s, naming the variables', (_, env, expected) => {
    expect(problemsOf(ServiceConfig, env)).toEqual(expected);
  });

  it('takes PLAIN without TLS for development', () => {
    const env = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 'dev' };
    expect(loadConfig(ServiceConfig, env).KAFKA_SASL_MECHANISM).toBe('plain');
  });
});

describe('gRPC TLS settings', () => {
  it('refuses plaintext gRPC in production unless GRPC_ALLOW_PLAINTEXT=true', () => {
    expect(problemsOf(GrpcServiceConfig, productionEnv())).toEqual({
      GRPC_TLS_CERT_FILE: [expect.stringMatching(/^is required in production/)],
    });
    expect(
      loadConfig(GrpcServiceConfig, { ...productionEnv(), GRPC_ALLOW_PLAINTEXT: 'true' })
        .GRPC_ALLOW_PLAINTEXT,
    ).toBe(true);
    const tls = { ...productionEnv(), GRPC_TLS_CERT_FILE: pem, GRPC_TLS_KEY_FILE: pem };
    expect(loadConfig(GrpcServiceConfig, tls).GRPC_TLS_CERT_FILE).toBe(pem);
  });

  it('serves plaintext outside production', () => {
    expect(loadConfig(GrpcServiceConfig, devEnv()).GRPC_TLS_CERT_FILE).toBeUndefined();
  });

  it.each<[string, NodeJS.ProcessEnv, Record<string, string[]>]>([
    [
      'a certificate without its key',
      { GRPC_TLS_CERT_FILE: pem },
      {
        GRPC_TLS_CERT_FILE: [expect.stringMatching(/GRPC_TLS_KEY_FILE are set together/)],
        GRPC_TLS_KEY_FILE: [expect.stringMatching(/GRPC_TLS_CERT_FILE are set together/)],
      },
    ],
    [
      'a client CA without a server certificate',
      { GRPC_TLS_CLIENT_CA_FILE: pem },
      { GRPC_TLS_CLIENT_CA_FILE: ['needs GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE'] },
    ],
    [
      'a key file that is not there',
      { GRPC_TLS_CERT_FILE: pem, GRPC_TLS_KEY_FILE: '/nowhere/key.pem' },
      { GRPC_TLS_KEY_FILE: ['must be the path of a readable file'] },
    ],
  ])('refuses %s', (_, env, expected) => {
    expect(problemsOf(GrpcServiceConfig, { ...devEnv(), ...env })).toEqual(expected);
  });
});
