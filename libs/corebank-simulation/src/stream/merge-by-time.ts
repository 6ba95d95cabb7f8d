import type { SimEvent } from '../core/event-factory';

/**
 * Interleaves event streams that are each in time order into one in time order; on a tie the stream
 * listed first goes first. Lazy: holds one event of each stream.
 */
export function* mergeByTime(...streams: Iterator<SimEvent>[]): Generator<SimEvent> {
  const heads = streams.map((stream) => {
    const next = stream.next();
    return next.done ? undefined : { event: next.value, at: Date.parse(next.value.time) };
  });
  for (;;) {
    let earliest = -1;
    heads.forEach((head, i) => {
      if (head && (earliest < 0 || head.at < heads[earliest]!.at)) earliest = i;
    });
    if (earliest < 0) return;
    yield heads[earliest]!.event;
    const next = streams[earliest].next();
    heads[earliest] = next.done ? undefined : { event: next.value, at: Date.parse(next.value.time) };
  }
}
