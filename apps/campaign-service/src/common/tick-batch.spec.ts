import { TickBatch } from './tick-batch';

describe('TickBatch', () => {
  it('runs the calls of one tick together, in order, and answers each its own result', async () => {
    const runs: number[][] = [];
    const batch = new TickBatch(async (items: number[]) => {
      runs.push(items);
      return items.map((n) => n * 10);
    });
    const first = await Promise.all([batch.add(1), batch.add(2), batch.add(3)]);
    const second = await batch.add(4);
    expect(first).toEqual([10, 20, 30]);
    expect(second).toBe(40);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('takes calls made while a run is under way into the next run', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batch = new TickBatch(async (items: string[]) => {
      runs.push(items);
      if (runs.length === 1) await held;
      return items.map((s) => s.toUpperCase());
    });
    const a = batch.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    const b = batch.add('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual([['a'], ['b']]);
    release();
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
  });

  it('fails every call of a run that fails, and the next run starts afresh', async () => {
    let fail = true;
    const batch = new TickBatch(async (items: number[]) => {
      if (fail) throw new Error('database gone');
      return items;
    });
    const failed = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batch.add(3)).toBe(3);
  });
});
