import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { kafkaCheck } from '@crm/observability';

/** Readiness of the broker through one admin client, connected on first use and closed at shutdown. */
@Injectable()
export class KafkaReadiness implements OnApplicationShutdown {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  readonly check = async (): Promise<void> => {
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      // Try again on the next probe rather than fail forever.
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await kafkaCheck(this.admin)();
  };

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }
}
