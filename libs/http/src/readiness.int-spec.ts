import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Admin, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HealthModule, HealthOptions, kafkaCheck, postgresCheck, redisCheck } from '@crm/observability';
import { createTestApp } from './http-app';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function appWith(options: HealthOptions): Promise<INestApplication> {
  @Module({ imports: [HealthModule.forRoot(options)] })
  class ReadinessProbeModule {}
  return createTestApp(await Test.createTestingModule({ imports: [ReadinessProbeModule] }).compile());
}

describe('readiness against the real stack', () => {
  let dataSource: DataSource;
  let redis: Redis;
  let admin: Admin;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    admin = new Kafka({
      clientId: 'readiness-int-spec',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await admin?.disconnect();
    redis?.disconnect();
    await dataSource?.destroy();
  });

  it('is ready when PostgreSQL, Redis and Kafka answer', async () => {
    const app = await appWith({
      checks: { postgres: postgresCheck(dataSource), redis: redisCheck(redis), kafka: kafkaCheck(admin) },
    });
    apps.push(app);
    await request(app.getHttpServer())
      .get('/health/ready')
      .expect(200, { status: 'ok', checks: { postgres: 'up', redis: 'up', kafka: 'up' } });
  });

  it('is not ready, naming Redis, when Redis cannot be reached', async () => {
    // Nothing listens on port 1: the client really tries to connect, and gives up at once.
    const unreachable = new Redis({
      host: '127.0.0.1',
      port: 1,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    unreachable.on('error', () => undefined);
    const app = await appWith({
      checks: { postgres: postgresCheck(dataSource), redis: redisCheck(unreachable) },
      timeoutMs: 500,
    });
    apps.push(app);
    try {
      await request(app.getHttpServer())
        .get('/health/ready')
        .expect(503, { status: 'down', checks: { postgres: 'up', redis: 'down' } });
    } finally {
      unreachable.disconnect();
    }
  });

  it('is not ready, naming PostgreSQL, once its connection pool is gone', async () => {
    const closed = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
    await closed.destroy();
    const app = await appWith({ checks: { postgres: postgresCheck(closed), redis: redisCheck(redis) } });
    apps.push(app);
    await request(app.getHttpServer())
      .get('/health/ready')
      .expect(503, { status: 'down', checks: { postgres: 'down', redis: 'up' } });
  });
});
