import { randomUUID } from 'node:crypto';
import { EVENT_CATALOG, EventEnvelope, deadLetterTopicOf, eventDefinitionOf } from '@crm/contracts';
import { EventConsumer, EventPublisher, EventRoute } from '@crm/messaging';
import { EventProbe, TestSchema, createTestSchema, testKafka, testStack, uniqueSuffix } from '@crm/testing';
import { populationEvents } from '../stream/bank-simulation';
import { KafkaEventSink } from './kafka-event-sink';

/** The simulator's stream through the real broker into a consumer built on libs/messaging. */
describe('simulator events into a libs/messaging consumer', () => {
  const prefix = `test.sim2c-${uniqueSuffix()}.`;
  const kafka = testKafka();
  const { initialLoad, stream } = populationEvents({ seed: 11, customers: 40, start: Date.now() });
  const events: EventEnvelope[] = [...initialLoad];
  for (let i = 0; i < 400; i++) events.push(stream.next().value!);
  const topics = [...new Set(events.map((e) => `${prefix}${eventDefinitionOf(e.type)!.topic}`))];

  let db: TestSchema;
  let consumer: EventConsumer;
  let publisher: EventPublisher;
  let dlqProbe: EventProbe;
  const sink = new KafkaEventSink({ brokers: testStack.kafkaBrokers, topicPrefix: prefix });

  beforeAll(async () => {
    db = await createTestSchema('sim_consumer');
    await db.dataSource.query(
      `CREATE TABLE "${db.schema}".received (event_id text PRIMARY KEY, type text NOT NULL, customer text NOT NULL)`,
    );
    await sink.publish(events);
    publisher = new EventPublisher(kafka);
    const record: EventRoute['handle'] = async (event, tx) => {
      await tx.query(`INSERT INTO "${db.schema}".received VALUES ($1, $2, $3)`, [
        event.id,
        event.type,
        event.subject,
      ]);
    };
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      publisher,
      groupId: `sim-consumer-${randomUUID()}`,
      topics,
      routes: new Map(EVENT_CATALOG.map((d) => [d.type, { payload: d.payload, handle: record }])),
      isKnownType: (type) => eventDefinitionOf(type) !== undefined,
    });
    await consumer.start();
    dlqProbe = await EventProbe.start(kafka, topics.map(deadLetterTopicOf));
  });

  afterAll(async () => {
    await consumer?.stop();
    await dlqProbe?.stop();
    await publisher?.disconnect();
    await sink.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [...topics, ...topics.map(deadLetterTopicOf)] })
      .finally(() => admin.disconnect());
    await db?.drop();
  });

  it('receives every event validated against its contract, none dead-lettered', async () => {
    const deadline = Date.now() + 60_000;
    let count = 0;
    while (count < events.length && Date.now() < deadline) {
      [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM "${db.schema}".received`);
      if (count < events.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(dlqProbe.messages.map((m) => m.headers.dlq_reason)).toEqual([]);
    expect(count).toBe(events.length);
    const types: { type: string }[] = await db.dataSource.query(
      `SELECT DISTINCT type FROM "${db.schema}".received`,
    );
    // A realistic mix: customers, accounts, transactions, loans, cards and organisation data.
    expect(types.length).toBeGreaterThanOrEqual(10);
  });
});
