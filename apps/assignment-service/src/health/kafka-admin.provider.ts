import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { KafkaClusterDescribable } from '@crm/observability';

/** A Kafka admin client for the readiness check, connected on first use and closed with the app. */
@Injectable()
export class KafkaAdminProvider implements KafkaClusterDescribable, OnApplicationShutdown {
  private admin?: Admin;

  constructor(private readonly kafka: Kafka) {}

  async describeCluster(): Promise<{ brokers: unknown[] }> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin.describeCluster();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}
