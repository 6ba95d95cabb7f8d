import type { Observable } from 'rxjs';

/**
 * A live feed's values as an async iterable for a server-streaming call, at most `limit` of them waiting for
 * a reader that is slower than the feed. Beyond that the iterable throws `overflow()` (the waiting values
 * dropped) rather than buffer without end: the reader catches up from a query, as a reconnecting client
 * does. Leaving the iteration (the call ends or is cancelled) unsubscribes from the feed.
 */
export async function* boundedFeed<T>(
  source: Observable<T>,
  limit: number,
  overflow: () => Error,
): AsyncGenerator<T> {
  const waiting: T[] = [];
  let failure: unknown = null;
  let completed = false;
  let wake: (() => void) | null = null;
  const subscription = source.subscribe({
    next: (value) => {
      if (failure !== null) return;
      if (waiting.length < limit) waiting.push(value);
      else {
        failure = overflow();
        waiting.length = 0;
      }
      wake?.();
    },
    error: (error: unknown) => {
      failure ??= error;
      wake?.();
    },
    complete: () => {
      completed = true;
      wake?.();
    },
  });
  try {
    for (;;) {
      if (failure !== null) throw failure;
      if (waiting.length > 0) yield waiting.shift()!;
      else if (completed) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    subscription.unsubscribe();
  }
}
