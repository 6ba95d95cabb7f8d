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
  private readonly afterCommits: (() => Promise<void>)[] = [];

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

  /**
   * `effect` runs once the batch's transaction has committed, and not at all if it rolls back: for effects
   * outside the database that must not precede the facts they follow from. The events count as applied
   * whatever it does, so it must be one the service also reaches another way (a sweep, a restart), and its
   * failure is only logged.
   */
  afterCommit(effect: () => Promise<void>): void {
    this.afterCommits.push(effect);
  }

  /** Called by the consumer once every handler of the batch has returned, inside the transaction. */
  async flush(): Promise<void> {
    for (const flush of this.flushes) await flush();
  }

  /** Called by the consumer after the commit; the failures, for it to log. */
  async committed(): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const effect of this.afterCommits) await effect().catch((error: unknown) => failures.push(error));
    return failures;
  }
}
