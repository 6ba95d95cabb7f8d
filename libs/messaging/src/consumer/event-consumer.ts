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
  partitionsConsumedConcurrently?: number;
  /**
   * Up to this many consecutive events of a partition are applied in one database transaction (one
   * commit instead of one per event). Should any of them fail, the transaction is rolled back and those
   * events are applied one by one, with retries and dead-lettering as usual. 1: one transaction per event.
   */
  maxEventsPerTransaction?: number;
  fromBeginning?: boolean;
  metrics?: ConsumerMetrics;
}

type Outcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered';

/** A message decoded into an event to apply. */
type DecodedEvent = {
  message: KafkaMessage;
  headers: KafkaHeaders;
  event: EventEnvelope<object>;
  route: EventRoute;
};
/** A message of a chunk, decoded: an event to apply, or one that needs no transaction. */
type Decoded =
  | DecodedEvent
  | { message: KafkaMessage; headers: KafkaHeaders; outcome: 'skipped' }
  | { message: KafkaMessage; headers: KafkaHeaders; invalid: string };

/**
 * At-least-once from Kafka made effectively-once: each event is validated, its handler runs in
 * a database transaction together with the insert of its id into processed_event, and only
 * then is its offset resolved for commit. Invalid events go to `<topic>.dlq` with the reason.
 */
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly processedTable: string;
  private readonly maxEventsPerTransaction: number;
  private running = false;

  constructor(private readonly options: EventConsumerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.maxEventsPerTransaction = options.maxEventsPerTransaction ?? 1;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
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
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    await joined;
    this.logger.log({ msg: 'consuming', groupId: this.options.groupId, topics: this.options.topics });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload) {
    const { topic, partition, messages } = batch;
    for (let at = 0; at < messages.length;) {
      if (!isRunning() || isStale()) break;
      const chunk = messages.slice(at, at + this.maxEventsPerTransaction);
      if (chunk.length === 1 || !(await this.applyChunk(topic, partition, chunk))) {
        for (const message of chunk) {
          if (!isRunning() || isStale()) break;
          await this.handleMessage(topic, partition, message, heartbeat);
          resolveOffset(message.offset);
          await heartbeat();
        }
      } else {
        for (const message of chunk) resolveOffset(message.offset);
        await heartbeat();
      }
      at += chunk.length;
    }
    await commitOffsetsIfNecessary();
  }

  /**
   * Applies the chunk's events together and records their metrics. False, having changed nothing in the
   * database, when the chunk holds an event that must be dead-lettered or when any handler fails: the
   * caller then applies the events one by one.
   */
  private async applyChunk(topic: string, partition: number, chunk: KafkaMessage[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    const decoded = chunk.map((message) => this.decode(message));
    if (decoded.some((d) => 'invalid' in d)) return false;
    const applicable = decoded.filter((d): d is DecodedEvent => 'event' in d);
    let outcomes: Outcome[];
    try {
      outcomes = await this.applyTogether(topic, partition, applicable);
    } catch (error) {
      this.logger.warn({
        msg: 'chunk failed, applying its events one by one',
        topic,
        partition,
        events: chunk.length,
        error: String(error),
      });
      return false;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    applicable.forEach((d, i) => this.options.metrics?.observeEvent(d.event.type, outcomes[i], seconds));
    for (const d of decoded) {
      if ('outcome' in d) this.options.metrics?.observeEvent(typeOf(d.headers), d.outcome, seconds);
    }
    return true;
  }

  /** The events in one transaction, with one insert of their ids into processed_event. */
  private async applyTogether(topic: string, partition: number, events: DecodedEvent[]): Promise<Outcome[]> {
    // A chunk of only skipped types has nothing to write.
    if (events.length === 0) return [];
    const { applied, batch } = await this.options.dataSource.transaction(async (tx) => {
      const inserted: { event_id: string }[] = await tx.query(
        `INSERT INTO ${this.processedTable} (consumer_group, event_id, topic, partition, "offset")
         SELECT $1, event_id, $2, $3, "offset" FROM unnest($4::text[], $5::bigint[]) AS e(event_id, "offset")
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          this.options.groupId,
          topic,
          partition,
          events.map((d) => d.event.id),
          events.map((d) => d.message.offset),
        ],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      // Deleted once taken: an id seen twice in the chunk is a duplicate the second time.
      const applied: Outcome[] = events.map((d) => (fresh.delete(d.event.id) ? 'handled' : 'duplicate'));
      const handled = events.filter((_, i) => applied[i] === 'handled');
      const batch = new EventBatch(handled.map((d) => d.event));
      for (const d of handled) {
        await runWithContext(contextOf(d.headers), () => d.route.handle(d.event, tx, batch));
      }
      await batch.flush();
      return { applied, batch };
    });
    await this.afterCommit(batch, topic, partition);
    return applied;
  }

  private async afterCommit(batch: EventBatch, topic: string, partition: number): Promise<void> {
    for (const error of await batch.committed()) {
      this.logger.warn({ msg: 'after-commit effect failed', topic, partition, error: String(error) });
    }
  }

  private decode(message: KafkaMessage): Decoded {
    const headers = decodeHeaders(message);
    const type = headers[EventHeaders.Type];
    const route = type ? this.options.routes.get(type) : undefined;
    if (type && !route && this.options.isKnownType(type)) return { message, headers, outcome: 'skipped' };
    try {
      const event = decodeEvent(headers, message.value?.toString() ?? null, route?.payload);
      return { message, headers, event, route: route! };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      return { message, headers, invalid: error.reason };
    }
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ) {
    const started = process.hrtime.bigint();
    const decoded = this.decode(message);
    const outcome = await runWithContext(contextOf(decoded.headers), () =>
      this.process(topic, partition, decoded, heartbeat),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics?.observeEvent(typeOf(decoded.headers), outcome, seconds);
  }

  private async process(
    topic: string,
    partition: number,
    decoded: Decoded,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> {
    const { message, headers } = decoded;
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
        await sleepWithHeartbeat(decision.delayMs, heartbeat);
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
    await this.afterCommit(batch, topic, partition);
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
