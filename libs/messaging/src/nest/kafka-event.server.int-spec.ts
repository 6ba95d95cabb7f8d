import { randomUUID } from 'node:crypto';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EVENT_SAMPLES,
  EventHeaders,
  EventTypes,
  deadLetterTopicOf,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
  Topics,
} from '@crm/contracts';
import { createServiceDataSource } from '@crm/persistence';
import {
  EventProbe,
  TestSchema,
  createTestSchema,
  deleteTopicsWithPrefix,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';
import { EventPublisher } from '../producer/event-publisher';
import { ensureTopics } from '../producer/topic-provisioner';
import { OutboxRelay } from '../outbox/outbox.relay';
import { OutboxWriter } from '../outbox/outbox.writer';
import { EventContext } from './event-context';
import { KafkaEventServer } from './kafka-event.server';
import { attachEventServer } from './messaging.module';
import { PermanentEventError } from '../consumer/event-errors';

const kafka = testKafka();
// Services run with KAFKA_TOPIC_PREFIX in tests: their own copy of every contract topic.
const prefix = `test.nest-${uniqueSuffix()}.`;
let db: TestSchema;

@Controller()
class InstitutionConsumer {
  constructor(private readonly outbox: OutboxWriter) {}

  @EventPattern(EventTypes.InstitutionUpserted)
  async onInstitutionUpserted(
    @Payload() institution: InstitutionUpsertedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await ctx.tx.query(
      `INSERT INTO "${db.schema}".institution (id, name, correlation_id) VALUES ($1, $2, $3)`,
      [institution.institutionId, institution.name, ctx.envelope.correlationid],
    );
    await this.outbox.add(ctx.tx, {
      topic: Topics.CrmAudit,
      type: 'test.institution.recorded.v1',
      subject: institution.institutionId,
      data: { institutionId: institution.institutionId },
    });
  }

  @EventPattern(EventTypes.ManagerUpserted)
  onManagerUpserted(@Payload() manager: ManagerUpsertedPayload): never {
    throw new PermanentEventError(`manager ${manager.managerId} belongs to no known institution`);
  }
}

describe('KafkaEventServer: @EventPattern handlers on the real broker and database', () => {
  let app: INestApplication;
  let publisher: EventPublisher;
  let relay: OutboxRelay;
  let relaySource: DataSource;
  let auditProbe: EventProbe;
  let dlqProbe: EventProbe;

  beforeAll(async () => {
    db = await createTestSchema('nest_consumer');
    await db.dataSource.query(
      `CREATE TABLE "${db.schema}".institution (id text PRIMARY KEY, name text NOT NULL, correlation_id text)`,
    );
    await ensureTopics(kafka, [`${prefix}${Topics.CorebankOrganisation}`, `${prefix}${Topics.CrmAudit}`]);
    publisher = new EventPublisher(kafka);

    @Module({
      imports: [TypeOrmModule.forRootAsync({ useFactory: () => ({ ...db.dataSource.options }) })],
      controllers: [InstitutionConsumer],
      providers: [{ provide: OutboxWriter, useValue: new OutboxWriter('/test/nest-consumer', prefix) }],
    })
    class TestModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication();
    attachEventServer(
      app,
      new KafkaEventServer({
        kafka,
        dataSource: db.dataSource,
        publisher,
        groupId: `nest-consumer-${randomUUID()}`,
        fromBeginning: false,
        topicPrefix: prefix,
      }),
    );
    await app.startAllMicroservices();
    await app.init();
    relaySource = await createServiceDataSource({
      schema: db.schema,
      url: testStack.databaseUrl,
    }).initialize();
    relay = new OutboxRelay(relaySource, publisher, { pollIntervalMs: 100 });
    await relay.start();
    auditProbe = await EventProbe.start(kafka, `${prefix}${Topics.CrmAudit}`);
    dlqProbe = await EventProbe.start(kafka, deadLetterTopicOf(`${prefix}${Topics.CorebankOrganisation}`));
  });

  afterAll(async () => {
    await relay?.stop();
    await relaySource?.destroy();
    await auditProbe?.stop();
    await dlqProbe?.stop();
    await app?.close();
    await publisher?.disconnect();
    await db?.drop();
    await deleteTopicsWithPrefix(kafka, prefix);
  });

  it('routes a contract event to its handler, commits its writes and outbox event, in the event’s correlation', async () => {
    const institutionId = `INST-${randomUUID().slice(0, 8)}`;
    const correlationId = `corr-${randomUUID()}`;
    await publisher.publish([
      {
        topic: `${prefix}${Topics.CorebankOrganisation}`,
        envelope: {
          id: randomUUID(),
          source: '/test',
          type: EventTypes.InstitutionUpserted,
          specversion: CLOUDEVENTS_SPEC_VERSION,
          time: new Date().toISOString(),
          subject: institutionId,
          correlationid: correlationId,
          data: { ...EVENT_SAMPLES[EventTypes.InstitutionUpserted], institutionId },
        },
      },
    ]);

    const emitted = await auditProbe.waitFor((m) => m.key === institutionId, 30_000);
    expect(emitted.headers[EventHeaders.CorrelationId]).toBe(correlationId);
    const rows = await db.dataSource.query(
      `SELECT id, correlation_id FROM "${db.schema}".institution WHERE id = $1`,
      [institutionId],
    );
    expect(rows).toEqual([{ id: institutionId, correlation_id: correlationId }]);
  });

  it('dead-letters an event whose handler throws PermanentEventError, with the reason, at once', async () => {
    const managerId = `MGR-${randomUUID().slice(0, 8)}`;
    await publisher.publish([
      {
        topic: `${prefix}${Topics.CorebankOrganisation}`,
        envelope: {
          id: randomUUID(),
          source: '/test',
          type: EventTypes.ManagerUpserted,
          specversion: CLOUDEVENTS_SPEC_VERSION,
          time: new Date().toISOString(),
          subject: managerId,
          data: { ...EVENT_SAMPLES[EventTypes.ManagerUpserted], managerId },
        },
      },
    ]);

    const dead = await dlqProbe.waitFor((m) => m.key === managerId, 30_000);
    expect(dead.headers[EventHeaders.DlqReason]).toContain(
      `manager ${managerId} belongs to no known institution`,
    );
  });
});
