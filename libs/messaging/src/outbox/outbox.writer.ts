import { EntityManager } from 'typeorm';
import { EventEnvelope, toKafkaMessage } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import { NewEvent, envelopeOf } from '../producer/envelope';

export interface NewOutboxEvent<T extends object> extends NewEvent<T> {
  topic: string;
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
    const [envelope] = await this.addAll(tx, [event]);
    return envelope;
  }

  /** Records events in one statement, in order. */
  async addAll<T extends object>(
    tx: EntityManager,
    events: readonly NewOutboxEvent<T>[],
  ): Promise<EventEnvelope<T>[]> {
    const envelopes = events.map((event) => envelopeOf(this.source, event));
    if (envelopes.length === 0) return [];
    // One JSON document for all rows: serialised natively, where arrays of strings would be escaped
    // character by character by the driver.
    const rows = envelopes.map((envelope, i) => {
      const message = toKafkaMessage(envelope);
      return {
        id: envelope.id,
        topic: `${this.topicPrefix}${events[i].topic}`,
        key: message.key,
        headers: message.headers,
        payload: events[i].data,
      };
    });
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".outbox (event_id, topic, message_key, headers, payload)
       SELECT (r->>'id')::uuid, r->>'topic', r->>'key', r->'headers', r->'payload'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n) ORDER BY n`,
      [JSON.stringify(rows)],
    );
    return envelopes;
  }
}
