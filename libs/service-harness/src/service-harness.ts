import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { loadConfig } from '@crm/config';
import { EventEnvelope, EventType, eventDefinitionOf } from '@crm/contracts';
import {
  ServiceDefinition,
  StoredServiceConfig,
  connectService,
  createTestApp,
  prepareStorage,
} from '@crm/http';
import { EventPublisher, ensureTopics } from '@crm/messaging';
import { createLogger } from '@crm/observability';
import {
  CapturedLog,
  EventClock,
  deleteTopicsWithPrefix,
  freePort,
  serviceTestEnv,
  testKafka,
  testStack,
  uniqueSuffix,
  until,
} from '@crm/testing';

export interface ServiceHarnessOptions {
  /** Goes into the schema and topic names, so a test file's leftovers can be told apart. */
  name?: string;
  /** More environment for this instance, e.g. a limit under test. */
  env?: Record<string, string>;
  /** Keeps the service's log lines (from debug up) in `log`; without it the service logs nothing. */
  captureLog?: boolean;
  /**
   * Consume the topics of another instance of the same test file (a replay from the beginning, in
   * a consumer group and schema of its own); that instance deletes them.
   */
  topicPrefix?: string;
  /** Where `clock` starts, epoch ms; default now. */
  clockStart?: number;
}

/**
 * One service on the real stack for an integration test, started from its definition exactly as
 * main.ts starts it (config validated, migrations and the PII key check, event consumer, gRPC,
 * HTTP listening), isolated under names of its own: a schema, a topic prefix, a Redis key prefix
 * and a consumer group. `stop()` then `start()` is a restart on the same schema and group;
 * `destroy()` removes everything it made.
 */
export class ServiceHarness<C extends StoredServiceConfig = StoredServiceConfig> {
  readonly suffix = uniqueSuffix();
  readonly schema: string;
  readonly topicPrefix: string;
  readonly redisPrefix: string;
  readonly kafka = testKafka();
  /** Envelopes with fresh ids and times that advance, for `publish`. */
  readonly clock: EventClock;
  readonly log?: CapturedLog;
  private readonly running: { app: NestExpressApplication; grpcPort?: number }[] = [];
  private publisher?: EventPublisher;
  private redis?: Redis;
  private readonly ensuredTopics = new Set<string>();
  private readonly published = new Set<string>();

  constructor(
    readonly definition: ServiceDefinition<C>,
    private readonly options: ServiceHarnessOptions = {},
  ) {
    const service = definition.serviceName.replace(/-service$/, '');
    const name = [service, options.name, this.suffix].filter(Boolean).join('-');
    this.schema = `t_${name.replace(/-/g, '_')}`;
    this.topicPrefix = options.topicPrefix ?? `test.${name}.`;
    this.redisPrefix = `test:${name}:`;
    this.clock = new EventClock(options.clockStart, `/test/${definition.serviceName}`);
    if (options.captureLog) this.log = new CapturedLog();
  }

  /** The first running instance. */
  get app(): NestExpressApplication {
    return this.first().app;
  }

  /** Every running instance, in start order. */
  get instances(): NestExpressApplication[] {
    return this.running.map((instance) => instance.app);
  }

  get dataSource(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  /** Base URL of the first instance's HTTP server (it listens, as main.ts's does), e.g. for a browser. */
  get httpUrl(): string {
    const { port } = this.app.getHttpServer().address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** host:port of the first instance's gRPC server. */
  get grpcAddress(): string {
    const { grpcPort } = this.first();
    if (grpcPort === undefined) throw new Error(`${this.definition.serviceName} has no gRPC contract`);
    return `127.0.0.1:${grpcPort}`;
  }

  /**
   * Starts an instance. A second one while the first runs joins it on the same schema, topics and
   * consumer group, as a deployment's instances do.
   */
  async start(): Promise<NestExpressApplication> {
    const { serviceName } = this.definition;
    const grpcPort = this.definition.grpc ? await freePort() : undefined;
    // The service's ConfigModule reads process.env when its module compiles.
    Object.assign(process.env, {
      ...serviceTestEnv(this),
      ...(grpcPort === undefined ? {} : { GRPC_PORT: String(grpcPort) }),
      ...this.options.env,
    });
    const config = loadConfig(this.definition.configClass, process.env, serviceName);
    const logLevel = this.log ? 'debug' : 'silent';
    await prepareStorage(this.definition, config, createLogger(serviceName, logLevel, this.log));
    const moduleRef = await Test.createTestingModule({ imports: [this.definition.appModule] }).compile();
    const app = await createTestApp(moduleRef, {
      serviceName,
      description: this.definition.description,
      logDestination: this.log,
      logLevel,
    });
    connectService(app, this.definition, {
      // This harness's own group: an instance of another harness on the same topics replays them.
      consumerGroupId: `${this.topicPrefix}${serviceName}-${this.suffix}`,
      grpcHost: '127.0.0.1',
    });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    this.running.push({ app, grpcPort });
    return app;
  }

  /** Stops every instance; `start()` then restarts the service on the same schema and group. */
  async stop(): Promise<void> {
    for (const { app } of this.running.splice(0)) await closeInstance(app);
  }

  /** Stops one instance while the others go on, as when a deployment scales in. */
  async stopInstance(app: NestExpressApplication): Promise<void> {
    const at = this.running.findIndex((instance) => instance.app === app);
    if (at < 0) throw new Error(`not a running instance of ${this.definition.serviceName}`);
    this.running.splice(at, 1);
    await closeInstance(app);
  }

  /** Runs SQL on the service's schema, written as `$schema` (e.g. `SELECT … FROM $schema.alert`). */
  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql.replaceAll('$schema', `"${this.schema}"`), params);
  }

  /** Events the consumer has applied (a skipped or dead-lettered event has no row). */
  async processedCount(): Promise<number> {
    const [{ n }] = await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.processed_event`);
    return n;
  }

  /** How many of these events (by id) the consumer has applied. */
  async appliedCount(eventIds: readonly string[]): Promise<number> {
    const [{ n }] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.processed_event WHERE event_id = ANY ($1)`,
      [eventIds],
    );
    return n;
  }

  /** Publishes to this instance's prefixed contract topics, as core banking (or another service) would. */
  async publish(...envelopes: EventEnvelope<object>[]): Promise<void> {
    const outgoing = envelopes.map((envelope) => {
      const definition = eventDefinitionOf(envelope.type);
      if (!definition) throw new Error(`no contract topic for event type ${envelope.type}`);
      return { topic: `${this.topicPrefix}${definition.topic}`, envelope };
    });
    const missing = [...new Set(outgoing.map((o) => o.topic))].filter((t) => !this.ensuredTopics.has(t));
    if (missing.length > 0) {
      await ensureTopics(this.kafka, missing);
      missing.forEach((t) => this.ensuredTopics.add(t));
    }
    this.publisher ??= new EventPublisher(this.kafka);
    await this.publisher.publish(outgoing);
    for (const envelope of envelopes) this.published.add(envelope.id);
  }

  /** Publishes one event at the clock's next time, as its producer would; returns its envelope. */
  async publishEvent(type: EventType, subject: string, data: object): Promise<EventEnvelope<object>> {
    const envelope = this.clock.envelope(type, subject, data);
    await this.publish(envelope);
    return envelope;
  }

  /**
   * Resolves once the service has applied every event published through `publish` (each leaves a
   * processed_event row), for tests that publish only types the service handles and none it
   * dead-letters; otherwise wait for what the events change. Only those events count: a service may also
   * apply events of its own making (alert-service reads its crm.alert for webhooks).
   */
  async drained(timeoutMs = 60_000): Promise<void> {
    const ids = [...this.published];
    const applied = await until(
      () => this.appliedCount(ids),
      (n) => n >= ids.length,
      timeoutMs,
    );
    if (applied < ids.length)
      throw new Error(`${applied} of ${ids.length} published events applied within ${timeoutMs} ms`);
  }

  /** Deletes every Redis key under this instance's prefix (as if Redis had been wiped); returns how many. */
  async wipeRedis(): Promise<number> {
    this.redis ??= new Redis(testStack.redisUrl);
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  private first(): { app: NestExpressApplication; grpcPort?: number } {
    if (this.running.length === 0) throw new Error(`${this.definition.serviceName} is not started`);
    return this.running[0];
  }

  /** Stops the service and removes its schema, its Redis keys and (unless borrowed) its topics. */
  async destroy(): Promise<void> {
    await this.stop();
    await this.publisher?.disconnect();
    await this.wipeRedis();
    this.redis?.disconnect();
    const admin = await new DataSource({ type: 'postgres', url: testStack.databaseUrl }).initialize();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await admin.destroy();
    }
    if (this.options.topicPrefix === undefined) await deleteTopicsWithPrefix(this.kafka, this.topicPrefix);
  }
}

async function closeInstance(app: NestExpressApplication): Promise<void> {
  // An open event stream (SSE) would hold the HTTP server open past close().
  (app.getHttpServer() as { closeAllConnections?: () => void }).closeAllConnections?.();
  await app.close();
}
