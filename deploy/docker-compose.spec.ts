import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigValidationError, envKeysOf, loadConfig } from '@crm/config';
import { apps, configClassOf } from './app-configs';

const root = join(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: { args?: Record<string, string> };
  healthcheck?: { test: string[] };
  ports?: string[];
  environment?: Record<string, string> | string[];
}

/** The file as docker compose reads it with none of its variables set: `${NAME:-default}` is the default. */
const interpolated = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
  .replace(/\$\{\w+:-([^}]*)\}/g, '$1')
  .replace(/\$\$/g, '$');

const compose = parse(interpolated, { merge: true }) as {
  services: Record<string, ComposeService>;
};

const envOf = (service: ComposeService): Record<string, string> =>
  Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((kv) => kv.split(/=(.*)/s).slice(0, 2)))
    : Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** The host side of `[ip:]host:container` port mappings. */
const hostPorts = (service: ComposeService): string[] =>
  (service.ports ?? []).map((p) => p.split(':').at(-2) ?? p);

describe('docker-compose.yml', () => {
  it('runs the three servers on the local stack ports', () => {
    expect(hostPorts(compose.services.kafka)).toEqual(['9092']);
    expect(hostPorts(compose.services.postgres)).toEqual(['5432']);
    expect(hostPorts(compose.services.redis)).toEqual(['6379']);
  });

  it('pulls the official images unless told otherwise', () => {
    expect(compose.services.kafka.image).toBe('apache/kafka:4.3.1');
    expect(compose.services.postgres.image).toBe('postgres:16');
    expect(compose.services.redis.image).toBe('redis:7');
    for (const app of apps)
      expect(compose.services[app].build?.args?.NODE_IMAGE).toBe('node:20-bookworm-slim');
  });

  it('runs Kafka in KRaft mode with single-node internal topics', () => {
    const env = envOf(compose.services.kafka);
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(Object.keys(env).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
  });

  it('has an app list to check', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  it.each(apps)('has a service for apps/%s with every variable its config declares', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    const env = envOf(service);
    const missing = envKeysOf(configClassOf(app)).filter((key) => !(key in env));
    expect(missing).toEqual([]);
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    if ('PORT' in env) expect(service.healthcheck?.test.join(' ')).toContain('/health/ready');
  });

  it.each(apps.filter((app) => envKeysOf(configClassOf(app)).includes('PII_ENCRYPTION_KEY')))(
    "refuses apps/%s with NODE_ENV=production and the file's published dev secrets",
    (app) => {
      const env = { ...envOf(compose.services[app]), NODE_ENV: 'production' };
      let refused: unknown;
      try {
        loadConfig(configClassOf(app), env, app);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ConfigValidationError);
      expect((refused as ConfigValidationError).problems.map((p) => p.variable)).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'JWT_SECRET', 'PII_ENCRYPTION_KEY', 'PII_HASH_KEY']),
      );
    },
  );
});
