import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createTestApp } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { deleteTopicsWithPrefix, serviceTestEnv, testKafka, testStack, uniqueSuffix } from '@crm/testing';
import { ALERT_MIGRATIONS } from '../migrations';
import { AppModule } from '../app.module';

/**
 * The whole alert service on the real stack, isolated for one test file: its own schema, topic prefix,
 * Redis key prefix and (prefixed) consumer group. `stop()` and `start()` model a restart; `destroy()` cleans up.
 */
export class AlertServiceHarness {
  readonly suffix = uniqueSuffix();
  readonly schema = `t_alert_${this.suffix}`;
  readonly topicPrefix = `test.alert-${this.suffix}.`;
  readonly redisPrefix = `test:alert-${this.suffix}:`;
  readonly kafka: Kafka = testKafka();
  readonly redis = new Redis(testStack.redisUrl);
  app?: INestApplication;
  dataSource!: DataSource;

  async start(): Promise<INestApplication> {
    Object.assign(process.env, { ...serviceTestEnv(this), LOG_LEVEL: 'silent' });
    await migrate(
      createServiceDataSource({
        schema: this.schema,
        migrations: ALERT_MIGRATIONS,
        url: testStack.databaseUrl,
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = await createTestApp(moduleRef, { serviceName: 'alert-service' });
    this.dataSource = app.get<DataSource>(getDataSourceToken());
    // As main.ts: the consumer group is prefixed like the topics, so it is this test's own.
    connectEventConsumer(app);
    await app.startAllMicroservices();
    this.app = app;
    return app;
  }

  async stop(): Promise<void> {
    // An open event stream would hold the HTTP server open past close().
    (this.app?.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await this.app?.close();
    this.app = undefined;
  }

  /** Deletes every Redis key of this service instance: windows, marks and the BullMQ queue. */
  async wipeRedis(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql.replaceAll('$schema', `"${this.schema}"`), params);
  }

  /** Polls until `done` holds or the deadline passes; returns the last value either way. */
  async until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      value = await read();
    }
    return value;
  }

  /** Waits until the service has processed (or dead-lettered) at least `count` events in all. */
  async processedCount(): Promise<number> {
    const [{ n }] = await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.processed_event`);
    return n;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.wipeRedis();
    this.redis.disconnect();
    const admin = createServiceDataSource({ schema: this.schema, url: testStack.databaseUrl });
    await admin.initialize();
    await admin.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await admin.destroy();
    await deleteTopicsWithPrefix(this.kafka, this.topicPrefix);
  }
}
