import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** Where the real stack is for tests: the local stack's defaults, overridable like the services'. */
export const testStack = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
};

/** A short random suffix so every test file gets its own schema, topics and groups. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

export function testKafka(clientId = `test-${uniqueSuffix()}`): Kafka {
  return new Kafka({ clientId, brokers: testStack.kafkaBrokers, logLevel: logLevel.ERROR });
}
