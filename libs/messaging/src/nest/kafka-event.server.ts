import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { eventDefinitionOf } from '@crm/contracts';
import { ConsumerMetrics } from '../consumer/consumer-metrics';
import { EventConsumer, EventRoute } from '../consumer/event-consumer';
import { RetryPolicy } from '../consumer/retry-policy';
import { EventPublisher } from '../producer/event-publisher';
import { ensureTopics } from '../producer/topic-provisioner';
import { EventContext } from './event-context';

export interface KafkaEventServerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  publisher: EventPublisher;
  groupId: string;
  retry?: RetryPolicy;
  metrics?: ConsumerMetrics;
  /** Put before every contract topic name (ServiceConfig.KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** See EventConsumerOptions.maxEventsPerTransaction. */
  maxEventsPerTransaction?: number;
  /** A new consumer group starts from the topic's beginning, so a new service rebuilds its projection. */
  fromBeginning?: boolean;
}

export const KAFKA_EVENTS_TRANSPORT = Symbol('crm-kafka-events');

/**
 * A Nest microservice transport over libs/messaging's consumer: controllers declare
 * `@EventPattern(EventTypes.X)` handlers and receive the validated payload and an EventContext;
 * the topics to subscribe follow from the handled types' contracts.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private consumer?: EventConsumer;

  constructor(readonly options: KafkaEventServerOptions) {
    super();
    // Its own transport id, so handlers bound to another transport (e.g. @GrpcMethod) are not routed here.
    this.transportId = KAFKA_EVENTS_TRANSPORT;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const routes = new Map<string, EventRoute>();
      for (const type of this.messageHandlers.keys()) {
        const definition = eventDefinitionOf(type);
        if (!definition) throw new Error(`@EventPattern('${type}') names no event type in libs/contracts`);
        // Looked up once: Nest's lookup by pattern is measurable at thousands of events a second.
        const handler = this.getHandlerByPattern(type)!;
        const topic = this.topicOf(definition.topic);
        routes.set(type, {
          payload: definition.payload,
          handle: async (event, tx, batch) => {
            const context = new EventContext([tx, event, topic, batch]);
            await lastValueFrom(this.transformToObservable(await handler(event.data, context)), {
              defaultValue: undefined,
            });
          },
        });
      }
      const topics = [
        ...new Set([...routes.keys()].map((type) => this.topicOf(eventDefinitionOf(type)!.topic))),
      ];
      await ensureTopics(this.options.kafka, topics);
      this.consumer = new EventConsumer({
        ...this.options,
        topics,
        routes,
        isKnownType: (type) => eventDefinitionOf(type) !== undefined,
      });
      await this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  private topicOf(contractTopic: string): string {
    return `${this.options.topicPrefix ?? ''}${contractTopic}`;
  }

  on(): never {
    throw new Error('KafkaEventServer has no status events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
