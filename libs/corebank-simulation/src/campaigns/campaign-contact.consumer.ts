import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { ContactRequestedPayload, EventHeaders, EventTypes, Topics, type KafkaHeaders } from '@crm/contracts';
import { decodeEvent, ensureTopics } from '@crm/messaging';

export interface CampaignContactConsumerOptions {
  kafka: Kafka;
  /** Prepended to the topic name and the consumer group, like every topic the simulator uses. */
  topicPrefix?: string;
  /** Called once per valid contact request, with the event's correlation id. */
  onContact: (contact: ContactRequestedPayload, correlationId: string | undefined) => void;
  log: (line: string) => void;
}

const headersOf = (headers: IHeaders | undefined): KafkaHeaders => {
  const decoded: KafkaHeaders = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
};

/**
 * Reads campaign-service's contact requests (crm.campaign.contact) as a channel gateway would. The
 * simulator is a tool, not a service: a malformed or foreign message is skipped with a log line, with no
 * dead-letter topic and no retry. The group starts from the beginning of the topic the first time, so a
 * contact published before the simulator joined is still answered.
 */
export class CampaignContactConsumer {
  readonly topic: string;
  private readonly groupId: string;
  private consumer?: Consumer;

  constructor(private readonly options: CampaignContactConsumerOptions) {
    const prefix = options.topicPrefix ?? '';
    this.topic = `${prefix}${Topics.CrmCampaignContact}`;
    this.groupId = `${prefix}corebank-simulator`;
  }

  /** Resolves once the consumer has joined its group and is reading. */
  async start(): Promise<void> {
    const { kafka } = this.options;
    await ensureTopics(kafka, [this.topic]);
    const consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ partition, message }) =>
        this.receive(`${this.topic}[${partition}]@${message.offset}`, message.headers, message.value),
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private receive(where: string, rawHeaders: IHeaders | undefined, value: Buffer | null): void {
    const headers = headersOf(rawHeaders);
    const type = headers[EventHeaders.Type];
    if (type !== EventTypes.ContactRequested) {
      this.options.log(`skipped ${where}: ${type ?? 'no type'} is not a contact request`);
      return;
    }
    try {
      const event = decodeEvent(headers, value?.toString() ?? null, ContactRequestedPayload);
      this.options.onContact(event.data, event.correlationid);
    } catch (error) {
      this.options.log(`skipped contact request ${where}: ${(error as Error).message}`);
    }
  }
}
