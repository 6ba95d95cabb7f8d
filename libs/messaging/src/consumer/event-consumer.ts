import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, EventHeaders, KafkaHeaders, deadLetterTopicOf } from '@crm/contracts';
import { runWithContext } from '@crm/observability';
import { schemaOf } from '@crm/persistence';
import { EventPublisher } from '../producer/event-publisher';
import { EventBatch } from './event-batch';
import { InvalidEventError } from './event-errors';
import { decodeEvent } from './event-validation';
import { ConsumerMetrics } from './consumer-metrics';
import { DEFAULT_RETRY_POLICY, RetryPolicy, decideOnFailure } from './retry-policy';

/**
 * Applies one validated event inside the transaction that also records it as processed; `batch` holds every
 * event of that transaction, for reads and writes shared among them.
 */
export type EventHandlerFn<T extends object = object> = (
  event: EventEnvelope<T>,
  tx: EntityManager,
  batch: EventBatch,
) => Promise<void>;

export interface EventRoute<T extends object = object> {
  payload: new () => T;
  handle: EventHandlerFn<T>;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  publisher: EventPublisher;
  groupId: string;
  topics: string[];
  /** Handlers by event type. Types on the topics that this service does not handle are skipped. */
  routes: Map<string, EventRoute>;
  /** Every type the contracts know; a type outside it (and outside `routes`) is dead-lettered. */
  isKnownType: (type: string) => boolean;
  retry?: RetryPolicy;
  /**
   * The partitions of one fetch are applied in this many lanes side by side, each partition in one lane, in
   * order; the transactions of a lane follow one another.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * A fetch gets one lane per this many events, up to partitionsConsumedConcurrently: a live trickle is one
   * transaction rather than one per lane, each paying the same fixed statements, and a catch-up gets them all.
   */
  eventsPerLane?: number;
  /**
   * Up to this many consecutive events of a lane (from all its partitions, each partition's in order) are
   * applied in one database transaction (one commit instead of one per event). Should one of them fail, the
   * transaction is rolled back and its events are applied in halves, down to the one that fails, which is
   * retried and dead-lettered as usual. 1: one transaction per event.
   */
  maxEventsPerTransaction?: number;
  /**
   * Offsets are committed at most this often (ms) instead of after every batch: a crash redelivers what was
   * applied since, and processed_event makes that redelivery a no-op.
   */
  commitIntervalMs?: number;
  fromBeginning?: boolean;
  metrics?: ConsumerMetrics;
}

type Outcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered';

/** A message decoded into an event to apply. */
type DecodedEvent = {
  headers: KafkaHeaders;
  event: EventEnvelope<object>;
  route: EventRoute;
};
/** A message, decoded: an event to apply, or one that needs no transaction. */
type Decoded =
  DecodedEvent | { headers: KafkaHeaders; outcome: 'skipped' } | { headers: KafkaHeaders; invalid: string };

/** One message of a fetch, with the partition batch it came in (for its offset and heartbeats). */
interface Item {
  from: EachBatchPayload;
  message: KafkaMessage;
  decoded: Decoded;
}

/** A partition's batch of a fetch, waiting for the fetch's other partitions to be applied with them. */
interface Gathered {
  payload: EachBatchPayload;
  settle: (error?: unknown) => void;
}

/** kafkajs runs one eachBatch per partition of a fetch: enough workers that every partition joins the gather. */
const KAFKAJS_WORKERS = 256;
const DEFAULT_LANES = 3;
const DEFAULT_EVENTS_PER_LANE = 500;
const DEFAULT_COMMIT_INTERVAL_MS = 500;
const MAX_BYTES_PER_FETCH = 2 * 1024 * 1024;

/**
 * At-least-once from Kafka made effectively-once: each event is validated, its handler runs in
 * a database transaction together with the insert of its id into processed_event, and only
 * then is its offset resolved for commit. Invalid events go to `<topic>.dlq` with the reason.
 *
 * The partitions of a fetch are applied together: kafkajs hands each to its own eachBatch call, which
 * joins the fetch's gather, and the gather applies all of them in a few transactions (instead of at least
 * one per partition), each partition's events in order.
 */
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly processedTable: string;
  private readonly maxEventsPerTransaction: number;
  private readonly lanes: number;
  private readonly eventsPerLane: number;
  private readonly commitIntervalMs: number;
  private running = false;
  private gathering: Gathered[] | null = null;
  /** The fetch being applied, for stop() to wait for. */
  private applying: Promise<void> = Promise.resolve();
  /** Commits what has been resolved: when the interval has passed, or now (`force`). */
  private commit?: (force: boolean) => Promise<void>;
  private commitTimer?: NodeJS.Timeout;

  constructor(private readonly options: EventConsumerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.maxEventsPerTransaction = options.maxEventsPerTransaction ?? 1;
    this.lanes = options.partitionsConsumedConcurrently ?? DEFAULT_LANES;
    this.eventsPerLane = options.eventsPerLane ?? DEFAULT_EVENTS_PER_LANE;
    this.commitIntervalMs = options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      // A fetch is applied whole before the next (thousands of events at this size): kafkajs's 10 MB default
      // only held more decoded messages in memory at once during a catch-up.
      maxBytes: MAX_BYTES_PER_FETCH,
    });
    this.processedTable = `"${schemaOf(options.dataSource)}".processed_event`;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      this.options.metrics?.observeLag(payload.topic, payload.partition, Number(payload.offsetLag)),
    );
    this.running = true;
    await this.consumer.run({
      eachBatchAutoResolve: false,
      // Committed by this class on its interval, not by kafkajs after every partition's batch.
      autoCommit: false,
      autoCommitInterval: this.commitIntervalMs,
      partitionsConsumedConcurrently: KAFKAJS_WORKERS,
      eachBatch: (payload) => this.gather(payload),
    });
    // The last offsets of a stream that has gone quiet are committed too.
    this.commitTimer = setInterval(() => void this.commitResolved(false), this.commitIntervalMs);
    this.commitTimer.unref();
    await joined;
    this.logger.log({ msg: 'consuming', groupId: this.options.groupId, topics: this.options.topics });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.commitTimer);
    await this.applying;
    await this.commitResolved(true);
    await this.consumer.disconnect();
  }

  private async commitResolved(force: boolean): Promise<void> {
    try {
      await this.commit?.(force);
    } catch (error) {
      // A rebalance or a broker away: the next commit carries these offsets, or the events come again.
      this.logger.warn({ msg: 'offset commit failed', error: String(error) });
    }
  }

  /**
   * Joins the fetch's gather: the first partition's call opens it, the others (started by kafkajs in the
   * same turn of the event loop) join, and it is applied once they all have.
   */
  private gather(payload: EachBatchPayload): Promise<void> {
    this.commit = (force) =>
      force
        ? payload.commitOffsetsIfNecessary(payload.uncommittedOffsets())
        : payload.commitOffsetsIfNecessary();
    return new Promise<void>((resolve, reject) => {
      if (!this.gathering) {
        const gathered: Gathered[] = (this.gathering = []);
        setImmediate(() => {
          this.gathering = null;
          this.applying = this.applyFetch(gathered);
        });
      }
      this.gathering.push({ payload, settle: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private async applyFetch(gathered: Gathered[]): Promise<void> {
    const events = gathered.reduce((sum, g) => sum + g.payload.batch.messages.length, 0);
    const lanes = lanesOf(
      gathered,
      Math.min(this.lanes, Math.max(1, Math.ceil(events / this.eventsPerLane))),
    );
    await Promise.all(
      lanes.map(async (lane) => {
        try {
          await this.applyLane(lane.map((g) => g.payload));
          lane.forEach((g) => g.settle());
        } catch (error) {
          lane.forEach((g) => g.settle(error));
        }
      }),
    );
    await this.commitResolved(false);
  }

  /** The lane's partitions one after another, in transactions of up to maxEventsPerTransaction events. */
  private async applyLane(batches: EachBatchPayload[]): Promise<void> {
    const messages = batches.flatMap((from) => from.batch.messages.map((message) => ({ from, message })));
    for (let at = 0; at < messages.length; at += this.maxEventsPerTransaction) {
      if (!this.running) return;
      const chunk = messages
        .slice(at, at + this.maxEventsPerTransaction)
        .filter(({ from }) => isLive(from))
        .map(({ from, message }) => ({ from, message, decoded: this.decode(message) }));
      await this.applyRun(chunk);
    }
  }

  /**
   * Applies a run of events in one transaction. An invalid event among them is dead-lettered between the
   * runs before and after it; a run whose transaction fails is applied in halves, so a poison event costs a
   * few rolled-back transactions rather than one transaction per event of its run.
   */
  private async applyRun(items: Item[]): Promise<void> {
    if (items.length === 0 || !this.running) return;
    const invalid = items.findIndex((item) => 'invalid' in item.decoded);
    if (invalid >= 0) {
      await this.applyRun(items.slice(0, invalid));
      await this.applyOneByOne([items[invalid]]);
      await this.applyRun(items.slice(invalid + 1));
      return;
    }
    if (items.length === 1 || this.maxEventsPerTransaction === 1) return this.applyOneByOne(items);
    if (await this.applyChunk(items)) {
      for (const { from, message } of items) from.resolveOffset(message.offset);
      await items[0].from.heartbeat();
      return;
    }
    const half = Math.ceil(items.length / 2);
    await this.applyRun(items.slice(0, half).filter(({ from }) => isLive(from)));
    await this.applyRun(items.slice(half).filter(({ from }) => isLive(from)));
  }

  private async applyOneByOne(items: Item[]): Promise<void> {
    for (const item of items) {
      if (!this.running || !isLive(item.from)) return;
      await this.handleMessage(item);
      item.from.resolveOffset(item.message.offset);
      await item.from.heartbeat();
    }
  }

  /**
   * Applies the events together and records their metrics. False, having changed nothing in the database,
   * when any handler fails.
   */
  private async applyChunk(items: Item[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    const applicable = items.filter(
      (item): item is Item & { decoded: DecodedEvent } => 'event' in item.decoded,
    );
    let outcomes: Outcome[];
    try {
      outcomes = await this.applyTogether(applicable);
    } catch (error) {
      this.logger.warn({
        msg: 'transaction failed, applying its events in halves',
        partitions: partitionsOf(items),
        events: items.length,
        error: String(error),
      });
      return false;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    applicable.forEach((item, i) =>
      this.options.metrics?.observeEvent(item.decoded.event.type, outcomes[i], seconds),
    );
    for (const { decoded } of items) {
      if ('outcome' in decoded)
        this.options.metrics?.observeEvent(typeOf(decoded.headers), decoded.outcome, seconds);
    }
    return true;
  }

  /** The events in one transaction, with one insert of their ids into processed_event. */
  private async applyTogether(items: (Item & { decoded: DecodedEvent })[]): Promise<Outcome[]> {
    // A run of only skipped types has nothing to write.
    if (items.length === 0) return [];
    const { applied, batch } = await this.options.dataSource.transaction(async (tx) => {
      const inserted: { event_id: string }[] = await tx.query(
        `INSERT INTO ${this.processedTable} (consumer_group, event_id, topic, partition, "offset")
         SELECT $1, event_id, topic, partition, "offset"
           FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[]) AS e(event_id, topic, partition, "offset")
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          this.options.groupId,
          items.map((item) => item.decoded.event.id),
          items.map((item) => item.from.batch.topic),
          items.map((item) => item.from.batch.partition),
          items.map((item) => item.message.offset),
        ],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      // Deleted once taken: an id seen twice in the run is a duplicate the second time.
      const applied: Outcome[] = items.map((item) =>
        fresh.delete(item.decoded.event.id) ? 'handled' : 'duplicate',
      );
      const handled = items.filter((_, i) => applied[i] === 'handled').map((item) => item.decoded);
      const batch = new EventBatch(handled.map((d) => d.event));
      for (const d of handled) {
        await runWithContext(contextOf(d.headers), () => d.route.handle(d.event, tx, batch));
      }
      await batch.flush();
      return { applied, batch };
    });
    await this.afterCommit(batch, partitionsOf(items));
    return applied;
  }

  private async afterCommit(batch: EventBatch, partitions: string): Promise<void> {
    for (const error of await batch.committed()) {
      this.logger.warn({ msg: 'after-commit effect failed', partitions, error: String(error) });
    }
  }

  private decode(message: KafkaMessage): Decoded {
    const headers = decodeHeaders(message);
    const type = headers[EventHeaders.Type];
    const route = type ? this.options.routes.get(type) : undefined;
    if (type && !route && this.options.isKnownType(type)) return { headers, outcome: 'skipped' };
    try {
      const event = decodeEvent(headers, message.value?.toString() ?? null, route?.payload);
      return { headers, event, route: route! };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      return { headers, invalid: error.reason };
    }
  }

  private async handleMessage(item: Item) {
    const started = process.hrtime.bigint();
    const outcome = await runWithContext(contextOf(item.decoded.headers), () => this.process(item));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics?.observeEvent(typeOf(item.decoded.headers), outcome, seconds);
  }

  private async process({ from, message, decoded }: Item): Promise<Outcome> {
    const { topic, partition } = from.batch;
    const { headers } = decoded;
    if ('outcome' in decoded) return decoded.outcome;
    if ('invalid' in decoded) {
      await this.deadLetter(topic, partition, message, headers, decoded.invalid);
      return 'dead-lettered';
    }
    const { event, route } = decoded;
    const type = event.type;

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(topic, partition, message.offset, event, route);
      } catch (error) {
        const decision = decideOnFailure(this.retry, attempt, error);
        if (decision.action === 'dead-letter') {
          this.logger.error({
            msg: 'dead-lettering event',
            eventId: event.id,
            type,
            reason: decision.reason,
          });
          await this.deadLetter(topic, partition, message, headers, decision.reason);
          return 'dead-lettered';
        }
        this.logger.warn({
          msg: 'handler failed, retrying',
          eventId: event.id,
          type,
          attempt,
          delayMs: decision.delayMs,
          error: String(error),
        });
        if (!this.running) throw error;
        await sleepWithHeartbeat(decision.delayMs, from.heartbeat);
      }
    }
  }

  /** The handler's writes and the processed marker commit together, or not at all. */
  private async applyOnce(
    topic: string,
    partition: number,
    offset: string,
    event: EventEnvelope<object>,
    route: EventRoute,
  ): Promise<Outcome> {
    const batch = new EventBatch([event]);
    const outcome = await this.options.dataSource.transaction(async (tx): Promise<Outcome> => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO ${this.processedTable} (consumer_group, event_id, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.groupId, event.id, topic, partition, offset],
      );
      if (inserted.length === 0) return 'duplicate';
      await route.handle(event, tx, batch);
      await batch.flush();
      return 'handled';
    });
    await this.afterCommit(batch, `${topic}/${partition}`);
    return outcome;
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    headers: KafkaHeaders,
    reason: string,
  ) {
    await this.options.publisher.sendRaw(deadLetterTopicOf(topic), [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...headers,
          [EventHeaders.DlqReason]: reason,
          [EventHeaders.DlqTopic]: topic,
          [EventHeaders.DlqPartition]: String(partition),
          [EventHeaders.DlqOffset]: message.offset,
          [EventHeaders.DlqService]: this.options.groupId,
        },
      },
    ]);
  }
}

/** Still ours to apply: kafkajs is running and has not been told to seek the partition elsewhere. */
const isLive = (from: EachBatchPayload): boolean => from.isRunning() && !from.isStale();

/**
 * The gathered partitions in up to `count` lanes, by partition number: events are keyed by customer and
 * every topic has as many partitions, so one customer's events, whatever their topic, share a lane and two
 * lanes' transactions never wait on each other's rows of one customer (nor deadlock over them).
 */
function lanesOf<T extends { payload: EachBatchPayload }>(gathered: T[], count: number): T[][] {
  const lanes = new Map<number, T[]>();
  for (const g of gathered) {
    const lane = g.payload.batch.partition % count;
    lanes.set(lane, [...(lanes.get(lane) ?? []), g]);
  }
  return [...lanes.values()];
}

/** For logs: the topic/partition pairs of a run. */
const partitionsOf = (items: Item[]): string =>
  [...new Set(items.map(({ from }) => `${from.batch.topic}/${from.batch.partition}`))].join(', ');

const typeOf = (headers: KafkaHeaders): string => headers[EventHeaders.Type] ?? '(no type)';

/** Log lines and events emitted while handling carry the event's correlation id. */
const contextOf = (headers: KafkaHeaders) => ({
  correlationId: headers[EventHeaders.CorrelationId] ?? headers[EventHeaders.Id] ?? randomUUID(),
  traceparent: headers[EventHeaders.TraceParent],
});

function decodeHeaders(message: KafkaMessage): KafkaHeaders {
  const decoded: KafkaHeaders = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
}

/** Waits out a backoff without letting the group consider this member dead. */
async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, deadline - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}
