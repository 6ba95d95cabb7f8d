import { buildDrillStream, runAlertDrills } from './alert-drill';

/**
 * The fault drills of drills/run-fault-drill.ts at CI size: a 3,000-event stream through a fault-free reference
 * instance and, side by side, instances that are killed with SIGKILL and restarted, lose their Redis keys,
 * or lose their Postgres connections half-way. Postgres itself is not restarted here: other test files
 * use it at the same time, so only the drilled instance's backends are terminated.
 */
describe('alert service under faults: the stored alerts equal the fault-free run exactly', () => {
  it('loses and doubles no alert across kill -9, a Redis wipe and cut Postgres connections', async () => {
    const stream = buildDrillStream({ size: 3_000 });
    const { reference, drills } = await runAlertDrills(stream, {
      faults: ['kill', 'redis', 'postgres'],
      postgresMode: 'terminate-backends',
      concurrent: true,
      timeoutMs: 120_000,
    });

    expect(reference.missing).toEqual([]);
    expect(reference.stored).toBeGreaterThan(stream.declared.length);
    expect(reference.duplicates).toBe(0);
    for (const drill of drills) {
      expect({
        drill: drill.name,
        missing: drill.missing,
        extra: drill.extra,
        doubled: drill.duplicates,
      }).toEqual({
        drill: drill.name,
        missing: [],
        extra: [],
        doubled: 0,
      });
      expect(drill.detail).toMatch(/^at \d+\/\d+ events: /);
    }
  }, 180_000);
});
