import type { SimEvent } from '../core/event-factory';
import { mergeByTime } from './merge-by-time';

const event = (id: string, time: string) => ({ id, time }) as SimEvent;
const ids = (events: Iterable<SimEvent>) => [...events].map((e) => e.id);

describe('mergeByTime', () => {
  it('interleaves streams in time order, the first stream first on a tie', () => {
    const core = [event('c1', '2025-03-03T09:00:00+08:00'), event('c2', '2025-03-03T10:00:00+08:00')];
    // Another offset, same instant as c2.
    const lobby = [event('l1', '2025-03-03T09:30:00+08:00'), event('l2', '2025-03-03T02:00:00Z')];
    expect(ids(mergeByTime(core.values(), lobby.values()))).toEqual(['c1', 'l1', 'c2', 'l2']);
  });

  it('runs on when one stream ends, and ends when all have', () => {
    const one = [event('a', '2025-03-03T09:00:00+08:00')];
    const other = [event('b', '2025-03-03T08:00:00+08:00'), event('c', '2025-03-03T11:00:00+08:00')];
    expect(ids(mergeByTime(one.values(), other.values()))).toEqual(['b', 'a', 'c']);
    expect(ids(mergeByTime([].values()))).toEqual([]);
  });
});
