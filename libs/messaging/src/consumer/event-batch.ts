import { EventEnvelope } from '@crm/contracts';

/** Names one value an EventBatch shares among its handlers; compared by identity. */
export class BatchKey<T> {
  declare private readonly type: T;

  constructor(readonly name: string) {}
}

/**
 * The events applied in one database transaction (a single event, or a run of a partition's events), and
 * what their handlers share: a handler may read once for all of them what each needs (one query instead
 * of one per event) and defer writes to one statement before the commit.
 */
export class EventBatch {
  private readonly shared = new Map<BatchKey<unknown>, unknown>();
  private readonly flushes: (() => Promise<void>)[] = [];

  constructor(readonly events: readonly EventEnvelope<object>[]) {}

  /** The value under `key`, computed by `compute` the first time it is asked for in this batch. */
  once<T>(key: BatchKey<T>, compute: () => T): T {
    if (!this.shared.has(key)) this.shared.set(key, compute());
    return this.shared.get(key) as T;
  }

  /** `flush` runs after the batch's last handler, inside its transaction, in the order registered. */
  beforeCommit(flush: () => Promise<void>): void {
    this.flushes.push(flush);
  }

  /** Called by the consumer once every handler of the batch has returned. */
  async flush(): Promise<void> {
    for (const flush of this.flushes) await flush();
  }
}
