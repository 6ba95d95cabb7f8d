import type { EventEnvelope } from '@crm/contracts';
import { buildScenario } from '../scenarios/scenario.registry';
import type { EventSink } from '../publishing/event-sink';
import { DueEventScheduler } from './due-event-scheduler';

/** Records what is published, in order. */
class RecordingSink implements EventSink {
  readonly description = 'a list';
  readonly published: EventEnvelope[] = [];

  async publish(events: EventEnvelope[]): Promise<void> {
    this.published.push(...events);
  }

  async close(): Promise<void> {}
}

const NOW = Date.parse('2025-03-03T10:00:00+08:00');
const [first, second, third] = buildScenario('large-inflow', { seed: 1, start: NOW }).events;

describe('DueEventScheduler', () => {
  let sink: RecordingSink;
  let failures: string[];
  let scheduler: DueEventScheduler;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    sink = new RecordingSink();
    failures = [];
    scheduler = new DueEventScheduler(sink, (event, reason) => failures.push(`${event.id}: ${reason}`));
  });

  afterEach(() => jest.useRealTimers());

  it('publishes each event when the wall clock reaches its time, and a past one at once', async () => {
    scheduler.schedule([
      { at: NOW + 5_000, event: first },
      { at: NOW - 60_000, event: second },
    ]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.published).toEqual([second]);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(sink.published).toEqual([second]);
    await jest.advanceTimersByTimeAsync(1);
    expect(sink.published).toEqual([second, first]);
    expect(scheduler.published).toBe(2);
  });

  it('waits out times beyond what one Node timer can hold', async () => {
    const in30Days = NOW + 30 * 86_400_000;
    scheduler.schedule([{ at: in30Days, event: first }]);
    await jest.advanceTimersByTimeAsync(25 * 86_400_000);
    expect(sink.published).toEqual([]);
    await jest.advanceTimersByTimeAsync(5 * 86_400_000);
    expect(sink.published).toEqual([first]);
  });

  it('drops what is not due when stopped, and says how much', async () => {
    scheduler.schedule([
      { at: NOW + 1_000, event: first },
      { at: NOW + 2_000, event: second },
    ]);
    expect(scheduler.pending).toBe(2);
    expect(await scheduler.stop()).toBe(2);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sink.published).toEqual([]);
  });

  it('reports an event its contract refuses instead of publishing it', async () => {
    scheduler.schedule([{ at: NOW, event: { ...third, data: { customerId: '' } } }]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.published).toEqual([]);
    expect(failures).toEqual([expect.stringMatching(new RegExp(`^${third.id}: invalid: `))]);
  });
});
