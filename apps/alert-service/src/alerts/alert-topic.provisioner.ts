import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Topics } from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { AlertServiceConfig } from '../app.config';

/** The broker creates no topic by itself: the service creates the one it publishes to before the relay runs. */
@Injectable()
export class AlertTopicProvisioner implements OnApplicationBootstrap {
  constructor(
    private readonly kafka: Kafka,
    private readonly config: AlertServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [`${this.config.KAFKA_TOPIC_PREFIX}${Topics.CrmAlert}`]);
  }
}
