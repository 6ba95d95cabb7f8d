import { createHash } from 'node:crypto';
import { CLOUDEVENTS_SPEC_VERSION, type EventEnvelope, type EventType } from '@crm/contracts';
import { toTimestamp } from './calendar';

/** CloudEvents source of everything the simulator publishes. */
export const SIMULATOR_SOURCE = '/corebank/simulator';

export type SimEvent = EventEnvelope<object> & { type: EventType };

/** RFC 9562 version 8 (custom) UUID from a digest: UUID-shaped, reproducible, not random. */
export const uuidFromDigest = (digest: Buffer): string => {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * Builds envelopes with ids derived from (seed, run start, stream, sequence): the same run reproduces the
 * same ids, a run started at another time gets new ones (consumers deduplicate by id).
 */
export class EventFactory {
  private sequence = 0;

  constructor(
    private readonly run: { seed: number; start: number; stream: string },
    private readonly correlationId?: string,
  ) {}

  create<T extends object>(type: EventType, subject: string, at: number, data: T): SimEvent {
    this.sequence += 1;
    const digest = createHash('sha256')
      .update(`${this.run.seed}|${this.run.start}|${this.run.stream}|${this.sequence}`)
      .digest();
    const event: SimEvent = {
      id: uuidFromDigest(digest),
      source: SIMULATOR_SOURCE,
      type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: toTimestamp(at),
      subject,
      data,
    };
    if (this.correlationId) event.correlationid = this.correlationId;
    return event;
  }
}
