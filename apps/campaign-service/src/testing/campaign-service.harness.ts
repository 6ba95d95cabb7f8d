import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CAMPAIGN_PROTO, CLOUDEVENTS_SPEC_VERSION, EventEnvelope, eventDefinitionOf } from '@crm/contracts';
import { connectGrpcServer, createTestApp } from '@crm/http';
import { EventPublisher, connectEventConsumer, ensureTopics } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { AccessTokenClaims, signDevToken } from '@crm/security';
import {
  TEST_SECRETS,
  deleteTopicsWithPrefix,
  freePort,
  serviceTestEnv,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { CAMPAIGN_MIGRATIONS } from '../migrations';

/**
 * campaign-service on the real stack, isolated for one test file: its own schema, topic prefix and Redis
 * prefix. Instances started with `start()` share them (two instances of one deployment); the dispatch
 * loop is slowed to a crawl so a test drives the dispatcher itself, at the times it chooses.
 */
export class CampaignServiceHarness {
  readonly suffix = uniqueSuffix();
  readonly schema = `t_campaign_${this.suffix}`;
  readonly topicPrefix = `test.campaign-${this.suffix}.`;
  readonly redisPrefix = `test:campaign-${this.suffix}:`;
  readonly kafka = testKafka();
  readonly redis = new Redis(testStack.redisUrl);
  readonly instances: INestApplication[] = [];
  /** host:port of each instance's gRPC server, in start order. */
  readonly grpcAddresses: string[] = [];
  private readonly publisher = new EventPublisher(this.kafka);
  private readonly ensured = new Set<string>();
  private readonly published = new Set<string>();
  private clock = Date.now() - 3_600_000;
  dataSource!: DataSource;

  async start(env: Record<string, string> = {}): Promise<INestApplication> {
    Object.assign(process.env, {
      ...serviceTestEnv(this),
      LOG_LEVEL: 'silent',
      DISPATCH_INTERVAL_MS: '600000',
      POLICY_REBUILD_GRACE_MS: '0',
      ...env,
    });
    if (this.instances.length === 0)
      await migrate(
        createServiceDataSource({
          schema: this.schema,
          migrations: CAMPAIGN_MIGRATIONS,
          url: testStack.databaseUrl,
        }),
      );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = await createTestApp(moduleRef, { serviceName: SERVICE_NAME });
    connectEventConsumer(app);
    const grpcPort = await freePort();
    connectGrpcServer(app, {
      package: CAMPAIGN_PROTO.package,
      protoPath: CAMPAIGN_PROTO.path,
      port: grpcPort,
      host: '127.0.0.1',
    });
    await app.startAllMicroservices();
    this.grpcAddresses.push(`127.0.0.1:${grpcPort}`);
    await app.listen(0);
    this.dataSource ??= app.get<DataSource>(getDataSourceToken());
    this.instances.push(app);
    return app;
  }

  get app(): INestApplication {
    return this.instances[0];
  }

  token(claims: Omit<AccessTokenClaims, 'sub'> & { sub?: string }): string {
    return `Bearer ${signDevToken({ sub: claims.sub ?? randomUUID(), ...claims }, TEST_SECRETS)}`;
  }

  /** Publishes an event as its producer would, by default with a time after every earlier one. */
  async publish(type: string, subject: string, data: object, at?: Date): Promise<EventEnvelope<object>> {
    const envelope: EventEnvelope<object> = {
      id: randomUUID(),
      source: '/test/campaign-service',
      type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: (at ?? new Date((this.clock += 1000))).toISOString(),
      subject,
      data,
    };
    const topic = `${this.topicPrefix}${eventDefinitionOf(type)!.topic}`;
    if (!this.ensured.has(topic)) {
      await ensureTopics(this.kafka, [topic]);
      this.ensured.add(topic);
    }
    await this.publisher.publish([{ topic, envelope }]);
    this.published.add(envelope.id);
    return envelope;
  }

  /** Waits until every published event has been handled (or dead-lettered). */
  async drained(timeoutMs = 60_000): Promise<void> {
    const processed = await this.until(
      async () =>
        (await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.processed_event`))[0].n,
      (n) => n >= this.published.size,
      timeoutMs,
    );
    if (processed < this.published.size)
      throw new Error(`only ${processed} of ${this.published.size} events handled`);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql.replaceAll('$schema', `"${this.schema}"`), params);
  }

  async until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      value = await read();
    }
    return value;
  }

  /** Deletes every Redis key of this deployment, as a flush or a failover to an empty replica would. */
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

  async stop(app: INestApplication): Promise<void> {
    await app.close();
    const index = this.instances.indexOf(app);
    this.instances.splice(index, 1);
    this.grpcAddresses.splice(index, 1);
  }

  async destroy(): Promise<void> {
    for (const app of [...this.instances]) await this.stop(app);
    await this.wipeRedis();
    this.redis.disconnect();
    await this.publisher.disconnect();
    const admin = createServiceDataSource({ schema: this.schema, url: testStack.databaseUrl });
    await admin.initialize();
    await admin.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await admin.destroy();
    await deleteTopicsWithPrefix(this.kafka, this.topicPrefix);
  }
}
