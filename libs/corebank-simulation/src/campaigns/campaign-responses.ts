import type { Kafka } from 'kafkajs';
import type { EventSink } from '../publishing/event-sink';
import { CampaignContactConsumer } from './campaign-contact.consumer';
import type { ContactResponder } from './contact-response';
import { DueEventScheduler } from './due-event-scheduler';

export interface CampaignResponsesOptions {
  kafka: Kafka;
  topicPrefix?: string;
  /** Where the openings go: the simulator's sink, beside the stream. */
  sink: EventSink;
  responder: ContactResponder;
  log: (line: string) => void;
}

/** Customers answering campaigns live: contact requests in, the products they open out, each when due. */
export class CampaignResponses {
  private readonly consumer: CampaignContactConsumer;
  private readonly scheduler: DueEventScheduler;

  constructor(private readonly options: CampaignResponsesOptions) {
    this.scheduler = new DueEventScheduler(options.sink, (event, reason) =>
      options.log(`could not publish ${event.type} ${event.id}: ${reason}`),
    );
    this.consumer = new CampaignContactConsumer({
      kafka: options.kafka,
      topicPrefix: options.topicPrefix,
      log: options.log,
      onContact: (contact, correlationId) => {
        const response = options.responder.respond(contact, correlationId);
        options.log(response.line);
        this.scheduler.schedule(response.due);
      },
    });
  }

  get topic(): string {
    return this.consumer.topic;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Stops reading, drops openings not yet due, and says what was done. */
  async stop(): Promise<string> {
    await this.consumer.stop();
    const dropped = await this.scheduler.stop();
    const counts = [...this.options.responder.counts];
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const outcomes = counts.map(([outcome, n]) => `${n} ${outcome}`).join(', ');
    return (
      `Campaign responses: ${total} contact requests${total > 0 ? ` (${outcomes})` : ''}; ` +
      `${this.scheduler.published} openings published` +
      (dropped > 0 ? `, ${dropped} not yet due dropped` : '')
    );
  }
}
