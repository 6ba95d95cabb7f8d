import { testStack } from './test-stack';

/** Secrets of every service under test: known to the test, refused by a production process. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-only-jwt-secret-0123456789abcdef',
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
};

/**
 * The environment of one service instance on the test stack under its own isolation names: its
 * schema, topic prefix (and so consumer group) and Redis key prefix. For a service started in
 * process (a harness) or as a child process (a drill, a benchmark).
 */
export function serviceTestEnv(names: {
  schema: string;
  topicPrefix: string;
  redisPrefix?: string;
}): Record<string, string> {
  return {
    ...TEST_SECRETS,
    NODE_ENV: 'test',
    DATABASE_URL: testStack.databaseUrl,
    REDIS_URL: testStack.redisUrl,
    KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
    DATABASE_SCHEMA: names.schema,
    KAFKA_TOPIC_PREFIX: names.topicPrefix,
    ...(names.redisPrefix === undefined ? {} : { REDIS_KEY_PREFIX: names.redisPrefix }),
  };
}

/**
 * The test stack's database URL with connections named `name` (pg_stat_activity.application_name): the
 * URL's name wins over the one a service gives itself, so one instance's sessions can be told from another
 * instance's of the same service (a fault cutting them, a benchmark summing their CPU).
 */
export function databaseUrlNamed(name: string): string {
  const url = new URL(testStack.databaseUrl);
  url.searchParams.set('application_name', name);
  return url.toString();
}
