import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ServiceConfig } from '@crm/config';
import { Topics } from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';

/** Creates crm.assignment (and its dead-letter topic) before the outbox relay publishes to it: the broker auto-creates nothing. */
@Injectable()
export class AssignmentTopicProvisioner implements OnApplicationBootstrap {
  constructor(
    private readonly kafka: Kafka,
    private readonly config: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [`${this.config.KAFKA_TOPIC_PREFIX}${Topics.CrmAssignment}`]);
  }
}
