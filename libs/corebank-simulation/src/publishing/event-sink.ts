import type { EventEnvelope } from '@crm/contracts';

/** Where generated events go. Kept small so the shared publisher of libs/messaging can replace Kafka's. */
export interface EventSink {
  /** Resolves once every event of the batch is durably accepted, in order per subject. */
  publish(events: EventEnvelope[]): Promise<void>;
  /** Flushes and releases connections or files. */
  close(): Promise<void>;
  /** Where events go, for the summary. */
  readonly description: string;
}
