/**
 * Coalesces the calls made in the same tick into one: the first call of a tick schedules a run over every
 * item asked for until then, in the order asked, and each caller gets its own item's result. Concurrent
 * requests thus share one round trip to Postgres or Redis instead of taking one each, and a request alone
 * waits for nothing more than the rest of its tick.
 */
export class TickBatch<I, O> {
  private queued: { item: I; settle: (result: O) => void; fail: (error: unknown) => void }[] = [];

  /** `run` answers one result per item, in the items' order. */
  constructor(private readonly run: (items: I[]) => Promise<O[]>) {}

  add(item: I): Promise<O> {
    return new Promise((settle, fail) => {
      if (this.queued.length === 0) setImmediate(() => void this.flush());
      this.queued.push({ item, settle, fail });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach(({ settle }, i) => settle(results[i]));
    } catch (error) {
      batch.forEach(({ fail }) => fail(error));
    }
  }
}
