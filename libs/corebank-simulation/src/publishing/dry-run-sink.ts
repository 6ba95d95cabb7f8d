import type { EventSink } from './event-sink';

/** Accepts and drops everything: generation and validation without publishing. */
export class DryRunSink implements EventSink {
  readonly description = 'nowhere (dry run)';

  async publish(): Promise<void> {}

  async close(): Promise<void> {}
}
