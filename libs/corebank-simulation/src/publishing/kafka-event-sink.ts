import type { Kafka } from 'kafkajs';
import { eventDefinitionOf, type EventEnvelope } from '@crm/contracts';
import { EventPublisher, KafkaSecuritySettings, createKafka, ensureTopics } from '@crm/messaging';
import type { EventSink } from './event-sink';

export interface KafkaEventSinkOptions {
  brokers: string[];
  clientId?: string;
  /** Prepended to every topic name: lets a test publish to topics of its own. */
  topicPrefix?: string;
  /** TLS and SASL to the brokers (the simulator's validated config); none for the local stack. */
  security?: KafkaSecuritySettings;
}

/** The catalog topic of an event's type, prefixed when a test publishes to topics of its own. */
export function topicOf(event: EventEnvelope, topicPrefix = ''): string {
  const definition = eventDefinitionOf(event.type);
  if (!definition) throw new Error(`no topic for event type ${event.type}: it is not in EVENT_CATALOG`);
  return `${topicPrefix}${definition.topic}`;
}

/**
 * Publishes through libs/messaging's EventPublisher (idempotent, acks from all in-sync replicas,
 * key = customer id), creating each topic and its dead-letter topic the first time it is used.
 */
export class KafkaEventSink implements EventSink {
  readonly description: string;
  private readonly kafka: Kafka;
  private readonly publisher: EventPublisher;
  private readonly ensured = new Set<string>();
  private readonly topicPrefix: string;

  constructor(options: KafkaEventSinkOptions) {
    this.kafka = createKafka(
      { ...options.security, KAFKA_BROKERS: options.brokers.join(',') },
      options.clientId ?? 'corebank-simulator',
    );
    this.publisher = new EventPublisher(this.kafka);
    this.topicPrefix = options.topicPrefix ?? '';
    this.description = `Kafka at ${options.brokers.join(',')}`;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    const outgoing = events.map((envelope) => ({ topic: topicOf(envelope, this.topicPrefix), envelope }));
    const missing = [...new Set(outgoing.map((e) => e.topic))].filter((t) => !this.ensured.has(t));
    if (missing.length > 0) {
      await ensureTopics(this.kafka, missing);
      for (const topic of missing) this.ensured.add(topic);
    }
    await this.publisher.publish(outgoing);
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
  }
}
