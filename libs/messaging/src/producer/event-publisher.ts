import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage } from '@crm/contracts';

export interface OutgoingEvent {
  topic: string;
  envelope: EventEnvelope;
}

/**
 * The one way services put events on Kafka: idempotent producer, acks from all in-sync
 * replicas, key = the envelope subject (the customer id) so one customer's events stay ordered.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    // Idempotence needs at most one in-flight request to keep per-partition order under retries.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The murmur2 partitioner Java clients use, so a customer lands on the same partition
      // whichever producer wrote the event (and kafkajs stops warning about its default).
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async publish(events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const { topic, envelope } of events) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(toKafkaMessage(envelope));
      byTopic.set(topic, messages);
    }
    await this.sendBatch(byTopic);
  }

  /** Sends messages already in the Kafka binding (outbox rows, dead letters). */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.connect();
    await this.sendBatch(new Map([[topic, messages]]));
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }

  private async sendBatch(byTopic: Map<string, Message[]>): Promise<void> {
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
