import { Subject } from 'rxjs';
import { boundedFeed } from './bounded-feed';

class Overflow extends Error {}

describe('boundedFeed', () => {
  it('gives the values in order as they come, and ends when the feed completes', async () => {
    const feed = new Subject<number>();
    const values = boundedFeed(feed, 10, () => new Overflow());
    const first = values.next();
    feed.next(1);
    expect(await first).toEqual({ value: 1, done: false });
    feed.next(2);
    feed.next(3);
    feed.complete();
    const rest: number[] = [];
    for await (const value of values) rest.push(value);
    expect(rest).toEqual([2, 3]);
  });

  it('holds up to the limit for a slow reader, and ends with the overflow error beyond it', async () => {
    const feed = new Subject<number>();
    const values = boundedFeed(feed, 3, () => new Overflow('reader too slow'));
    const first = values.next();
    feed.next(1);
    await first;
    [2, 3, 4].forEach((v) => feed.next(v));
    expect(await values.next()).toEqual({ value: 2, done: false });
    [5, 6].forEach((v) => feed.next(v));
    await expect(values.next()).rejects.toThrow('reader too slow');
    expect(feed.observed).toBe(false);
  });

  it('ends with the error the feed fails with', async () => {
    const feed = new Subject<number>();
    const values = boundedFeed(feed, 3, () => new Overflow());
    const next = values.next();
    feed.error(new Error('listener lost'));
    await expect(next).rejects.toThrow('listener lost');
  });

  it('unsubscribes when the reader leaves', async () => {
    const feed = new Subject<number>();
    const values = boundedFeed(feed, 3, () => new Overflow());
    const first = values.next();
    expect(feed.observed).toBe(true);
    feed.next(1);
    await first;
    await values.return(undefined);
    expect(feed.observed).toBe(false);
  });
});
