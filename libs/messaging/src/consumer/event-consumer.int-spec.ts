import { randomUUID } from 'node:crypto';
import { IsNotEmpty, IsString } from 'class-validator';
import { Metrics } from '@crm/observability';
import { EntityManager } from 'typeorm';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EventEnvelope,
  EventHeaders,
  IsDecimalAmount,
  toKafkaMessage,
} from '@crm/contracts';
import {
  EventProbe,
  TestSchema,
  TestTopic,
  createTestSchema,
  createTestTopic,
  testKafka,
} from '@crm/testing';
import { EventPublisher } from '../producer/event-publisher';
import { ConsumerMetrics } from './consumer-metrics';
import { BatchKey, EventBatch } from './event-batch';
import { PermanentEventError } from './event-errors';
import { EventConsumer, EventRoute } from './event-consumer';

class DepositRecorded {
  @IsString()
  @IsNotEmpty()
  accountId!: string;

  @IsDecimalAmount()
  amount!: string;
}

const TYPE = 'test.deposit.recorded.v1';
/** Same payload, but its handler defers the write to one insert per batch, just before the commit. */
const DEFERRED_TYPE = 'test.deposit.deferred.v1';
const DEFERRED_ROWS = new BatchKey<EventEnvelope<DepositRecorded>[]>('test.deferred-rows');
const kafka = testKafka();

function depositEvent(
  customerId: string,
  amount: string,
  id = randomUUID(),
  type = TYPE,
): EventEnvelope<DepositRecorded> {
  return {
    id,
    source: '/test',
    type,
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time: new Date().toISOString(),
    subject: customerId,
    data: { accountId: `ACC-${customerId}`, amount },
  };
}

describe.each([1, 50])(
  'EventConsumer on the real broker and database, %i event(s) per transaction',
  (perTransaction) => {
    let db: TestSchema;
    let topic: TestTopic;
    let publisher: EventPublisher;
    let consumer: EventConsumer;
    let dlqProbe: EventProbe;
    const failOnceFor = new Set<string>();
    const attempts = new Map<string, number>();
    // Per deferred event, each after-commit run that saw it: whether its row was committed by then.
    const afterCommit = new Map<string, boolean[]>();

    const effects = async (eventId: string): Promise<number> => {
      const [{ count }] = await db.dataSource.query(
        `SELECT count(*)::int AS count FROM "${db.schema}".effect WHERE event_id = $1`,
        [eventId],
      );
      return count;
    };

    const waitForEffect = async (eventId: string, timeoutMs = 30_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while ((await effects(eventId)) === 0) {
        if (Date.now() > deadline) throw new Error(`no effect of ${eventId} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    beforeAll(async () => {
      db = await createTestSchema('consumer');
      await db.dataSource.query(
        `CREATE TABLE "${db.schema}".effect (id serial PRIMARY KEY, event_id text NOT NULL, account_id text NOT NULL, amount numeric(20,2) NOT NULL, batch_size int)`,
      );
      topic = await createTestTopic(kafka, 'consumer');
      publisher = new EventPublisher(kafka);
      const route: EventRoute<DepositRecorded> = {
        payload: DepositRecorded,
        handle: async (event, tx: EntityManager) => {
          await tx.query(
            `INSERT INTO "${db.schema}".effect (event_id, account_id, amount) VALUES ($1, $2, $3)`,
            [event.id, event.data.accountId, event.data.amount],
          );
          attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
          // Fails after writing, so a retry that did not roll back would double the effect.
          if (failOnceFor.delete(event.id)) throw new Error('transient failure after the write');
        },
      };
      const deferred: EventRoute<DepositRecorded> = {
        payload: DepositRecorded,
        handle: async (event, tx: EntityManager, batch) => {
          const rows = batch.once(DEFERRED_ROWS, () => {
            const pending: EventEnvelope<DepositRecorded>[] = [];
            batch.beforeCommit(async () => {
              await tx.query(
                `INSERT INTO "${db.schema}".effect (event_id, account_id, amount, batch_size)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::int[])`,
                [
                  pending.map((e) => e.id),
                  pending.map((e) => e.data.accountId),
                  pending.map((e) => e.data.amount),
                  pending.map(() => batch.events.length),
                ],
              );
              for (const e of pending) attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
              if (pending.some((e) => failOnceFor.delete(e.id)))
                throw new Error('transient failure at commit');
            });
            batch.afterCommit(async () => {
              // Read on another connection: only committed rows are there.
              const [{ visible }] = await db.dataSource.query(
                `SELECT count(*)::int AS visible FROM "${db.schema}".effect WHERE event_id = ANY($1)`,
                [pending.map((e) => e.id)],
              );
              for (const e of pending) afterCommit.set(e.id, [...(afterCommit.get(e.id) ?? []), visible > 0]);
            });
            return pending;
          });
          rows.push(event);
        },
      };
      consumer = new EventConsumer({
        kafka,
        dataSource: db.dataSource,
        publisher,
        groupId: `consumer-test-${randomUUID()}`,
        topics: [topic.topic],
        routes: new Map([
          [TYPE, route as EventRoute],
          [DEFERRED_TYPE, deferred as EventRoute],
        ]),
        isKnownType: (type) => type === TYPE || type === DEFERRED_TYPE,
        retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
        metrics: new ConsumerMetrics('consumer-test', new Metrics()),
        maxEventsPerTransaction: perTransaction,
      });
      await consumer.start();
      dlqProbe = await EventProbe.start(kafka, topic.dlq);
    });

    afterAll(async () => {
      await consumer?.stop();
      await dlqProbe?.stop();
      await publisher?.disconnect();
      await topic?.delete();
      await db?.drop();
    });

    it('applies valid events, keyed by customer, with their amounts exact', async () => {
      const events = Array.from({ length: 10 }, (_, i) =>
        depositEvent(`C${i}`, `1000000000000000.${String(i).padStart(2, '0')}`),
      );
      await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
      for (const e of events) await waitForEffect(e.id);
      const rows: { amount: string }[] = await db.dataSource.query(
        `SELECT amount FROM "${db.schema}".effect WHERE event_id = $1`,
        [events[7].id],
      );
      expect(rows).toEqual([{ amount: '1000000000000000.07' }]);
    });

    it('dead-letters a malformed event with its reason and goes on with the next', async () => {
      const bad = depositEvent('C-bad', '12.345');
      const missingHeader = toKafkaMessage(depositEvent('C-bad2', '1.00'));
      delete missingHeader.headers[EventHeaders.Time];
      const notJson = { ...toKafkaMessage(depositEvent('C-bad3', '1.00')), value: '{not json' };
      const good = depositEvent('C-good', '5.00');
      await publisher.publish([{ topic: topic.topic, envelope: bad }]);
      await publisher.sendRaw(topic.topic, [missingHeader, notJson]);
      await publisher.publish([{ topic: topic.topic, envelope: good }]);

      await waitForEffect(good.id);
      const badLetter = await dlqProbe.waitFor((m) => m.headers[EventHeaders.Id] === bad.id);
      expect(badLetter.headers[EventHeaders.DlqReason]).toMatch(
        /amount: amount must be a decimal string with at most 2 decimals/,
      );
      expect(badLetter.headers[EventHeaders.DlqTopic]).toBe(topic.topic);
      expect(badLetter.key).toBe('C-bad');
      const headerLetter = await dlqProbe.waitFor((m) => m.key === 'C-bad2');
      expect(headerLetter.headers[EventHeaders.DlqReason]).toBe('invalid envelope: missing header ce_time');
      const jsonLetter = await dlqProbe.waitFor((m) => m.key === 'C-bad3');
      expect(jsonLetter.headers[EventHeaders.DlqReason]).toBe('invalid envelope: message value is not JSON');
      expect(await effects(bad.id)).toBe(0);
    });

    it('dead-letters an event of a type no contract knows', async () => {
      const unknown = { ...depositEvent('C-unknown', '1.00'), type: 'test.nobody.knows.v1' };
      await publisher.publish([{ topic: topic.topic, envelope: unknown }]);
      const letter = await dlqProbe.waitFor((m) => m.headers[EventHeaders.Id] === unknown.id);
      expect(letter.headers[EventHeaders.DlqReason]).toBe('unknown event type test.nobody.knows.v1');
    });

    it('dead-letters a payload nested thousands deep or holding a NUL, and the partition goes on', async () => {
      // Same key, so the same partition: the good event after them must still be applied.
      const deepEvent = depositEvent('C-hostile', '1.00');
      const depth = 20_000;
      const deep = {
        ...toKafkaMessage(deepEvent),
        // Built as text: JSON.stringify itself overflows the stack at such depths.
        value: `{"accountId":"ACC-1","amount":"1.00","extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      };
      const nul = depositEvent('C-hostile', '2.00');
      nul.data.accountId = 'ACC-\u0000';
      const good = depositEvent('C-hostile', '3.00');
      await publisher.sendRaw(topic.topic, [deep]);
      await publisher.publish([nul, good].map((envelope) => ({ topic: topic.topic, envelope })));

      await waitForEffect(good.id);
      const deepLetter = await dlqProbe.waitFor((m) => m.headers[EventHeaders.Id] === deepEvent.id);
      expect(deepLetter.headers[EventHeaders.DlqReason]).toBe(
        `invalid ${TYPE} payload: nests deeper than 32 levels`,
      );
      const nulLetter = await dlqProbe.waitFor((m) => m.headers[EventHeaders.Id] === nul.id);
      expect(nulLetter.headers[EventHeaders.DlqReason]).toBe(
        `invalid ${TYPE} payload: NUL characters in data.accountId`,
      );
      expect(await effects(deepEvent.id)).toBe(0);
      expect(await effects(nul.id)).toBe(0);
    });

    it('retries a handler that fails once and stores its effect exactly once', async () => {
      const event = depositEvent('C-retry', '42.00');
      failOnceFor.add(event.id);
      await publisher.publish([{ topic: topic.topic, envelope: event }]);
      await waitForEffect(event.id);
      expect(attempts.get(event.id)).toBe(2);
      expect(await effects(event.id)).toBe(1);
    });

    it('commits a run of events in as many transactions as it is configured to', async () => {
      const events = Array.from({ length: 40 }, (_, i) => depositEvent('C-run', `${i}.00`));
      // One produce request, one key: fetched together from one partition.
      await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
      for (const e of events) await waitForEffect(e.id);
      // Rows written by one transaction share its id (xmin).
      const [{ transactions }] = await db.dataSource.query(
        `SELECT count(DISTINCT xmin::text)::int AS transactions FROM "${db.schema}".effect WHERE event_id = ANY($1)`,
        [events.map((e) => e.id)],
      );
      if (perTransaction === 1) expect(transactions).toBe(40);
      else expect(transactions).toBeLessThan(10);
    });

    it('has one effect of an event that fails once among others applied together', async () => {
      const events = Array.from({ length: 20 }, (_, i) => depositEvent('C-chunk', `${i}.50`));
      failOnceFor.add(events[9].id);
      await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
      for (const e of events) await waitForEffect(e.id);
      for (const e of events) expect(await effects(e.id)).toBe(1);
      expect(attempts.get(events[9].id)).toBe(2);
    });

    it('shows a handler every event of its transaction, commits writes deferred to the batch with them, then runs its after-commit effects', async () => {
      const events = Array.from({ length: 30 }, (_, i) =>
        depositEvent('C-deferred', `${i}.25`, randomUUID(), DEFERRED_TYPE),
      );
      await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
      for (const e of events) await waitForEffect(e.id);
      const rows: { batch_size: number; transaction: string }[] = await db.dataSource.query(
        `SELECT batch_size, xmin::text AS transaction FROM "${db.schema}".effect WHERE event_id = ANY($1)`,
        [events.map((e) => e.id)],
      );
      expect(rows).toHaveLength(30);
      const sizeOf = new Map(rows.map((r) => [r.transaction, r.batch_size]));
      // Every transaction's rows say how many events its batch held: exactly as many as it wrote.
      for (const [transaction, size] of sizeOf) {
        expect(rows.filter((r) => r.transaction === transaction)).toHaveLength(size);
      }
      if (perTransaction === 1) expect(sizeOf.size).toBe(30);
      else expect(sizeOf.size).toBeLessThan(10);
      for (const e of events) expect(afterCommit.get(e.id)).toEqual([true]);
    });

    it('rolls a batch back when its deferred write fails, then applies its events in halves, once each', async () => {
      const events = Array.from({ length: 12 }, (_, i) =>
        depositEvent('C-deferred-fail', `${i}.75`, randomUUID(), DEFERRED_TYPE),
      );
      failOnceFor.add(events[5].id);
      await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
      for (const e of events) await waitForEffect(e.id);
      for (const e of events) expect(await effects(e.id)).toBe(1);
      expect(failOnceFor.has(events[5].id)).toBe(false);
      // The batch rolled back had no after-commit effects: one run per event, after its commit.
      for (const e of events) expect(afterCommit.get(e.id)).toEqual([true]);
    });

    it('has one effect of an event delivered twice in a row', async () => {
      const event = depositEvent('C-twice', '3.00');
      const marker = depositEvent('C-twice', '0.01');
      await publisher.publish([event, event, marker].map((envelope) => ({ topic: topic.topic, envelope })));
      await waitForEffect(marker.id);
      expect(await effects(event.id)).toBe(1);
    });

    it('has no second effect from a redelivered event with the same id', async () => {
      const event = depositEvent('C-dup', '7.00');
      const marker = depositEvent('C-dup', '0.01');
      await publisher.publish([{ topic: topic.topic, envelope: event }]);
      await waitForEffect(event.id);
      // Same key, so the marker lands after the redelivery on the same partition.
      await publisher.publish([
        { topic: topic.topic, envelope: event },
        { topic: topic.topic, envelope: marker },
      ]);
      await waitForEffect(marker.id);
      expect(await effects(event.id)).toBe(1);
    });
  },
);

describe('EventConsumer applying a fetch of several partitions', () => {
  let db: TestSchema;
  let topic: TestTopic;
  let publisher: EventPublisher;
  let consumer: EventConsumer | undefined;
  let dlqProbe: EventProbe;
  const rejected = new Set<string>();

  beforeAll(async () => {
    db = await createTestSchema('consumer_fetch');
    await db.dataSource.query(
      `CREATE TABLE "${db.schema}".effect (seq serial, event_id text NOT NULL, account_id text NOT NULL, amount numeric(20,2) NOT NULL)`,
    );
    topic = await createTestTopic(kafka, 'consumer-fetch', 3);
    publisher = new EventPublisher(kafka);
    dlqProbe = await EventProbe.start(kafka, topic.dlq);
  });

  afterAll(async () => {
    await consumer?.stop();
    await dlqProbe?.stop();
    await publisher?.disconnect();
    await topic?.delete();
    await db?.drop();
  });

  it('applies all its partitions in a few transactions, each partition in order, and dead-letters a poison event alone', async () => {
    // Twelve customers over three partitions, four events each, published before the consumer starts: its
    // first fetch holds them all.
    const events = Array.from({ length: 48 }, (_, i) => depositEvent(`C-fetch-${i % 12}`, `${i}.00`));
    const poison = events[17];
    rejected.add(poison.id);
    await publisher.publish(events.map((envelope) => ({ topic: topic.topic, envelope })));
    const route: EventRoute<DepositRecorded> = {
      payload: DepositRecorded,
      handle: async (event, tx: EntityManager) => {
        await tx.query(
          `INSERT INTO "${db.schema}".effect (event_id, account_id, amount) VALUES ($1, $2, $3)`,
          [event.id, event.data.accountId, event.data.amount],
        );
        if (rejected.has(event.id)) throw new PermanentEventError('this one can never be applied');
      },
    };
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      publisher,
      groupId: `consumer-fetch-${randomUUID()}`,
      topics: [topic.topic],
      routes: new Map([[TYPE, route as EventRoute]]),
      isKnownType: (type) => type === TYPE,
      retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      maxEventsPerTransaction: 100,
      partitionsConsumedConcurrently: 1,
    });
    await consumer.start();

    const letter = await dlqProbe.waitFor((m) => m.headers[EventHeaders.Id] === poison.id);
    expect(letter.headers[EventHeaders.DlqReason]).toMatch(/this one can never be applied/);
    const applied = events.filter((e) => e !== poison);
    const deadline = Date.now() + 30_000;
    let rows: { event_id: string; amount: string; seq: number; transaction: string }[] = [];
    while (rows.length < applied.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await db.dataSource.query(
        `SELECT event_id, amount::text, xmin::text AS transaction, seq
           FROM "${db.schema}".effect`,
      );
    }
    // Once each, the poison not at all.
    expect(rows.map((r) => r.event_id).sort()).toEqual(applied.map((e) => e.id).sort());
    const [{ partitions }] = await db.dataSource.query(
      `SELECT count(DISTINCT partition)::int AS partitions FROM "${db.schema}".processed_event`,
    );
    expect(partitions).toBeGreaterThan(1);
    // One transaction for the fetch, halved down to the poison: far fewer than one per event or partition.
    const transactions = new Set(rows.map((r) => r.transaction)).size;
    expect(transactions).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(events.length)));
    // Each customer's events (one partition) in the order published.
    const seqOf = new Map(rows.map((r) => [r.event_id, r.seq]));
    for (let customer = 0; customer < 12; customer++) {
      const own = applied.filter((e) => e.subject === `C-fetch-${customer}`).map((e) => seqOf.get(e.id)!);
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
  });
});

describe('EventConsumer applying a fetch in several lanes', () => {
  let db: TestSchema;
  let topics: TestTopic[];
  let publisher: EventPublisher;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    db = await createTestSchema('consumer_lanes');
    topics = await Promise.all([
      createTestTopic(kafka, 'consumer-lanes-a', 6),
      createTestTopic(kafka, 'consumer-lanes-b', 6),
    ]);
    publisher = new EventPublisher(kafka);
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await Promise.all(topics.map((t) => t.delete()));
    await db?.drop();
  });

  it("applies one customer's events of every topic in one lane, so no two transactions hold the same customer", async () => {
    // Thirty customers, each with events on both topics, published before the consumer starts: its first
    // fetches hold all twelve partitions.
    const events = Array.from({ length: 240 }, (_, i) => ({
      topic: topics[Math.floor(i / 30) % 2].topic,
      envelope: depositEvent(`C-lane-${i % 30}`, `${i}.00`),
    }));
    await publisher.publish(events);
    // Per customer, the batch applying it now; a second batch holding the same customer is a clash.
    const holder = new Map<string, EventBatch>();
    const clashes: string[] = [];
    const applied = new Set<string>();
    const route: EventRoute<DepositRecorded> = {
      payload: DepositRecorded,
      handle: async (event, _tx, batch) => {
        const held = holder.get(event.subject);
        if (held && held !== batch) clashes.push(event.subject);
        if (!held) {
          holder.set(event.subject, batch);
          batch.afterCommit(async () => void holder.delete(event.subject));
        }
        // Long enough for the other lanes' transactions to be under way at the same time.
        await new Promise((r) => setTimeout(r, 2));
        applied.add(event.id);
      },
    };
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      publisher,
      groupId: `consumer-lanes-${randomUUID()}`,
      topics: topics.map((t) => t.topic),
      routes: new Map([[TYPE, route as EventRoute]]),
      isKnownType: (type) => type === TYPE,
      maxEventsPerTransaction: 20,
      partitionsConsumedConcurrently: 3,
      eventsPerLane: 1,
    });
    await consumer.start();
    const deadline = Date.now() + 30_000;
    while (applied.size < events.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    expect(applied.size).toBe(events.length);
    expect(clashes).toEqual([]);
  });

  it('applies a fetch of fewer events than eventsPerLane in one transaction, whatever its partitions', async () => {
    await consumer?.stop();
    consumer = undefined;
    await publisher.publish(
      Array.from({ length: 24 }, (_, i) => ({
        topic: topics[i % 2].topic,
        envelope: depositEvent(`C-trickle-${i}`, `${i}.00`),
      })),
    );
    // A new group reads the topics' backlog (these, and those of the test above when it ran), there before it
    // starts, on twelve partitions: one fetch, which three lanes would have split into three transactions.
    const batches = new Set<EventBatch>();
    let applied = 0;
    const route: EventRoute<DepositRecorded> = {
      payload: DepositRecorded,
      handle: async (event, _tx, batch) => {
        batches.add(batch);
        if (event.subject.startsWith('C-trickle-')) applied += 1;
      },
    };
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      publisher,
      groupId: `consumer-trickle-${randomUUID()}`,
      topics: topics.map((t) => t.topic),
      routes: new Map([[TYPE, route as EventRoute]]),
      isKnownType: (type) => type === TYPE,
      maxEventsPerTransaction: 1000,
      partitionsConsumedConcurrently: 3,
      eventsPerLane: 500,
    });
    await consumer.start();
    const deadline = Date.now() + 30_000;
    while (applied < 24 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    expect(applied).toBe(24);
    expect(batches.size).toBe(1);
  });
});
