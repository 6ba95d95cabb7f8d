import { describeProblems, validateEventPayload } from '@crm/contracts';
import type { SimEvent } from '../core/event-factory';
import type { EventSink } from '../publishing/event-sink';
import type { DueEvent } from './due-event';

/** Node fires a longer timer at once; a later event waits in steps of this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Publishes events when the wall clock reaches their time (at once when it has passed), each checked
 * against its contract first. A failure is reported, not thrown: the simulator is a tool that keeps going.
 */
export class DueEventScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  published = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly onFailure: (event: SimEvent, reason: string) => void,
  ) {}

  get pending(): number {
    return this.timers.size;
  }

  schedule(due: readonly DueEvent[]): void {
    for (const { at, event } of due) this.wait(at, event);
  }

  /** Cancels what is not due yet and waits for what is being published; returns how many were dropped. */
  async stop(): Promise<number> {
    const dropped = this.timers.size;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.inFlight);
    return dropped;
  }

  private wait(at: number, event: SimEvent): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (Date.now() < at) this.wait(at, event);
        else this.publish(event);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())),
    );
    this.timers.add(timer);
  }

  private publish(event: SimEvent): void {
    const result = validateEventPayload(event.type, event.data);
    if (!result.ok) {
      this.onFailure(event, `invalid: ${describeProblems(result.problems)}`);
      return;
    }
    const sending = this.sink.publish([event]).then(
      () => {
        this.published += 1;
      },
      (error: Error) => this.onFailure(event, error.message),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }
}
