import { randomUUID } from 'node:crypto';
import { CLOUDEVENTS_SPEC_VERSION, EventEnvelope, EventType } from '@crm/contracts';

/**
 * Builds envelopes as a source would publish them: a fresh id each, and a time one step after the
 * one before, so the order a test states facts in is the order their times say.
 */
export class EventClock {
  private at: number;

  constructor(
    start = Date.now(),
    private readonly source = '/test',
    private readonly stepMs = 1000,
  ) {
    this.at = start;
  }

  /** The time of the last envelope (or the start), epoch ms. */
  get now(): number {
    return this.at;
  }

  /** Moves the clock on, e.g. to the next business day. */
  advance(ms: number): void {
    this.at += ms;
  }

  /** Moves the clock to `time` unless it is already later. */
  advanceTo(time: number): void {
    this.at = Math.max(this.at, time);
  }

  envelope<T extends object>(type: EventType, subject: string, data: T): EventEnvelope<T> {
    this.at += this.stepMs;
    return {
      id: randomUUID(),
      source: this.source,
      type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: new Date(this.at).toISOString(),
      subject,
      data,
    };
  }
}
