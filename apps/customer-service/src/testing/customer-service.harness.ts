import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOUDEVENTS_SPEC_VERSION, EventEnvelope, EventType, eventDefinitionOf } from '@crm/contracts';
import { connectGrpcServer, createTestApp } from '@crm/http';
import { EventPublisher, connectEventConsumer, ensureTopics } from '@crm/messaging';
import { createServiceDataSource, migrate } from '@crm/persistence';
import { AccessTokenClaims, Permission, Role, signDevToken } from '@crm/security';
import { deleteTopicsWithPrefix, testKafka, testStack, uniqueSuffix, freePort } from '@crm/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { CUSTOMER_PROTO_PACKAGE, CUSTOMER_PROTO_PATH } from '../grpc/customer-grpc.controller';
import { CUSTOMER_MIGRATIONS } from '../migrations';

const JWT = {
  JWT_SECRET: randomBytes(24).toString('hex'),
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};
// One set of keys per test file: two instances (a replay) must hash alike.
const PII_KEYS = {
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
};

/** Everything the service's pino logger wrote, to assert no PII reaches a log line. */
export class CapturedLog extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
}

export interface Harness {
  app: INestApplication;
  dataSource: DataSource;
  schema: string;
  prefix: string;
  grpcAddress: string;
  log: CapturedLog;
  publisher: EventPublisher;
  /** Publishes envelopes to the prefixed contract topics. */
  publish(events: EventEnvelope<object>[]): Promise<void>;
  token(claims: Partial<AccessTokenClaims> & Pick<AccessTokenClaims, 'roles' | 'inst'>): string;
  close(): Promise<void>;
}

/**
 * customer-service on the real stack with its own schema, topics (KAFKA_TOPIC_PREFIX), consumer
 * group, gRPC port and keys, as main.ts runs it.
 */
export async function startCustomerService(
  name: string,
  options: { prefix?: string } = {},
): Promise<Harness> {
  const suffix = uniqueSuffix();
  const prefix = options.prefix ?? `test.customer-${name}-${suffix}.`;
  const schema = `t_customer_${name.replace(/[^a-z0-9]/g, '_')}_${suffix}`;
  const grpcPort = await freePort();
  Object.assign(process.env, {
    ...JWT,
    DATABASE_URL: testStack.databaseUrl,
    KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_SCHEMA: schema,
    GRPC_PORT: String(grpcPort),
    ...PII_KEYS,
    NODE_ENV: 'test',
  });
  await migrate(
    createServiceDataSource({ schema, url: testStack.databaseUrl, migrations: CUSTOMER_MIGRATIONS }),
  );

  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const log = new CapturedLog();
  const app = await createTestApp(moduleRef, {
    serviceName: SERVICE_NAME,
    logDestination: log,
    logLevel: 'debug',
  });
  const dataSource = app.get<DataSource>(getDataSourceToken());
  // A group per instance: a second instance on the same topics replays them from the beginning.
  connectEventConsumer(app, { groupId: `${prefix}${SERVICE_NAME}-${suffix}` });
  connectGrpcServer(app, {
    package: CUSTOMER_PROTO_PACKAGE,
    protoPath: CUSTOMER_PROTO_PATH,
    port: grpcPort,
    host: '127.0.0.1',
  });
  await app.startAllMicroservices();

  return {
    app,
    dataSource,
    schema,
    prefix,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    log,
    publisher,
    async publish(events) {
      const outgoing = events.map((envelope) => ({
        topic: `${prefix}${eventDefinitionOf(envelope.type)!.topic}`,
        envelope,
      }));
      await ensureTopics(kafka, [...new Set(outgoing.map((o) => o.topic))]);
      await publisher.publish(outgoing);
    },
    token(claims) {
      return signDevToken(
        { sub: claims.sub ?? `user-${randomUUID().slice(0, 8)}`, perms: [], ...claims },
        JWT,
        3600,
      );
    },
    async close() {
      await app.close();
      await publisher.disconnect();
      const admin = await new DataSource({ type: 'postgres', url: testStack.databaseUrl }).initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
      if (!options.prefix) await deleteTopicsWithPrefix(kafka, prefix);
    },
  };
}

/** An envelope as core banking (or assignment-service) would publish it. */
export function envelope<T extends object>(
  type: EventType,
  subject: string,
  data: T,
  time = new Date(),
): EventEnvelope<T> {
  return {
    id: randomUUID(),
    source: '/test/customer-service',
    type,
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time: time.toISOString(),
    subject,
    data,
  };
}

export { Permission, Role };
