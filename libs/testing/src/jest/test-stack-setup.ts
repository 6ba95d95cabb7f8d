import { startContainerStack } from '../container-stack';

/**
 * Integration runs against the native stack by default. With TEST_STACK=containers, PostgreSQL, Redis and
 * Kafka start in containers for the run instead (libs/testing/src/container-stack.ts), and the test
 * workers, started after this, inherit their addresses.
 */
export default async function setUpTestStack(): Promise<void> {
  if (process.env.TEST_STACK !== 'containers') return;
  const started = Date.now();
  const stack = await startContainerStack();
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.redisUrl,
    KAFKA_BROKERS: stack.kafkaBrokers,
  });
  (globalThis as { containerStack?: typeof stack }).containerStack = stack;
  process.stdout.write(
    `\ntest stack in containers (${Date.now() - started} ms): ${stack.databaseUrl} ${stack.redisUrl} ${stack.kafkaBrokers}\n`,
  );
}
