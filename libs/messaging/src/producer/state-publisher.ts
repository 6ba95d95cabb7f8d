import { createHash } from 'node:crypto';
import { NewEvent, envelopeOf } from './envelope';
import { EventPublisher } from './event-publisher';

export interface StateEvent<T extends object> extends NewEvent<T> {
  topic: string;
  time: Date;
  /** Names the state the event tells (e.g. a profile's date, customer and version): its id is made from it. */
  stateKey: string;
}

/** A UUID (version 5 layout) of the key's SHA-1: the same key, the same id. */
export function stateEventId(stateKey: string): string {
  const hash = createHash('sha1').update(stateKey).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Publishes events that tell state already committed, for bulk publications that walk the state with a
 * durable cursor (a close of business's million profiles) instead of copying every row through the
 * outbox. The caller advances its cursor only after `publish` returns (acknowledged by all in-sync
 * replicas); a crash in between sends the batch again with the same ids, which consumers de-duplicate,
 * so nothing is lost and no effect doubles. A single state change still goes through the outbox.
 */
export class StatePublisher {
  /** `topicPrefix`: see ServiceConfig.KAFKA_TOPIC_PREFIX; events name their contract topic. */
  constructor(
    private readonly publisher: EventPublisher,
    private readonly source: string,
    private readonly topicPrefix = '',
  ) {}

  async publish<T extends object>(events: readonly StateEvent<T>[]): Promise<void> {
    await this.publisher.publish(
      events.map((event) => ({
        topic: `${this.topicPrefix}${event.topic}`,
        envelope: envelopeOf(this.source, event, stateEventId(event.stateKey)),
      })),
    );
  }
}
