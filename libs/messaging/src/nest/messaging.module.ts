import {
  DynamicModule,
  INestApplication,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '@crm/config';
import { Topic } from '@crm/contracts';
import { ConsumerMetrics } from '../consumer/consumer-metrics';
import { createKafka } from '../kafka-client';
import { OutboxRelay } from '../outbox/outbox.relay';
import { OutboxWriter } from '../outbox/outbox.writer';
import { EventPublisher } from '../producer/event-publisher';
import { StatePublisher } from '../producer/state-publisher';
import { ensureTopics } from '../producer/topic-provisioner';
import { EventRethrowFilter } from './event-rethrow.filter';
import { KafkaReadiness } from './kafka-readiness';
import { KafkaEventServer } from './kafka-event.server';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The service name: Kafka client id, consumer group and CloudEvents source. */
  service: string;
  /** The topics the service's outbox publishes to (wire names, unprefixed). */
  publishes?: readonly Topic[];
}

/**
 * Creates the topics the service publishes to (the broker auto-creates none), then starts the outbox
 * relay; stops the relay before the connections close.
 */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly publisher: EventPublisher,
    private readonly kafka: Kafka,
    private readonly config: ServiceConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = (this.options.publishes ?? []).map((t) => `${this.config.KAFKA_TOPIC_PREFIX}${t}`);
    if (topics.length > 0) await ensureTopics(this.kafka, topics);
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.disconnect();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: Kafka,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) => createKafka(config, options.service),
        },
        { provide: EventPublisher, inject: [Kafka], useFactory: (kafka: Kafka) => new EventPublisher(kafka) },
        {
          provide: OutboxWriter,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            new OutboxWriter(`/crm/${options.service}`, config.KAFKA_TOPIC_PREFIX),
        },
        {
          provide: StatePublisher,
          inject: [EventPublisher, ServiceConfig],
          useFactory: (publisher: EventPublisher, config: ServiceConfig) =>
            new StatePublisher(publisher, `/crm/${options.service}`, config.KAFKA_TOPIC_PREFIX),
        },
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), EventPublisher],
          useFactory: (dataSource: DataSource, publisher: EventPublisher) =>
            new OutboxRelay(dataSource, publisher),
        },
        OutboxRelayLifecycle,
        KafkaReadiness,
      ],
      exports: [Kafka, EventPublisher, OutboxWriter, StatePublisher, KafkaReadiness, MESSAGING_OPTIONS],
    };
  }
}

/**
 * Attaches the service's event consumer (its @EventPattern handlers) to a Nest application.
 * `groupId` overrides the service's consumer group, e.g. for a second instance that must replay
 * the topics from the beginning rather than share the first one's offsets.
 */
export function connectEventConsumer(app: INestApplication, options: { groupId?: string } = {}): void {
  const { service } = app.get<MessagingOptions>(MESSAGING_OPTIONS);
  const config = app.get(ServiceConfig);
  const topicPrefix = config.KAFKA_TOPIC_PREFIX;
  attachEventServer(
    app,
    new KafkaEventServer({
      kafka: app.get(Kafka),
      dataSource: app.get(getDataSourceToken()),
      publisher: app.get(EventPublisher),
      // Prefixed too: instances on their own topics (parallel tests) must not share a group.
      groupId: options.groupId ?? `${topicPrefix}${service}`,
      topicPrefix,
      metrics: new ConsumerMetrics(service),
      maxEventsPerTransaction: config.KAFKA_EVENTS_PER_TRANSACTION,
    }),
  );
}

/**
 * Connects a KafkaEventServer with the EventRethrowFilter in place. Nest binds a hybrid
 * microservice's handlers inside connectMicroservice, before a filter added afterwards could
 * apply; so binding is deferred until the filter is registered, then done as Nest would.
 */
export function attachEventServer(app: INestApplication, server: KafkaEventServer): void {
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: server },
    { inheritAppConfig: false, deferInitialization: true },
  ) as NestMicroservice;
  microservice.useGlobalFilters(new EventRethrowFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
}
