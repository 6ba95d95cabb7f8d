import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CLOUDEVENTS_SPEC_VERSION, EventEnvelope, toKafkaMessage } from '@crm/contracts';
import { currentContext } from '@crm/observability';
import { schemaOf } from '@crm/persistence';

export interface NewOutboxEvent<T extends object> {
  topic: string;
  type: string;
  /** The customer (or entity) the event is about: Kafka key and ce_subject. */
  subject: string;
  data: T;
  time?: Date;
  correlationId?: string;
  traceparent?: string;
}

/**
 * Records an event in the caller's transaction; the relay publishes it after commit.
 * Never publish directly from a state change: a crash between commit and publish would lose it.
 */
export class OutboxWriter {
  /** `topicPrefix`: see ServiceConfig.KAFKA_TOPIC_PREFIX; events name their contract topic. */
  constructor(
    private readonly source: string,
    private readonly topicPrefix = '',
  ) {}

  async add<T extends object>(tx: EntityManager, event: NewOutboxEvent<T>): Promise<EventEnvelope<T>> {
    const envelope: EventEnvelope<T> = {
      id: randomUUID(),
      source: this.source,
      type: event.type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: (event.time ?? new Date()).toISOString(),
      subject: event.subject,
      correlationid: event.correlationId ?? currentContext()?.correlationId,
      traceparent: event.traceparent ?? currentContext()?.traceparent,
      data: event.data,
    };
    const { headers, key } = toKafkaMessage(envelope);
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".outbox (event_id, topic, message_key, headers, payload) VALUES ($1, $2, $3, $4, $5)`,
      [envelope.id, `${this.topicPrefix}${event.topic}`, key, headers, event.data],
    );
    return envelope;
  }
}
