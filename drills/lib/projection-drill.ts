import { bankEvents } from '@crm/corebank-simulation';
import { runDrills, type DrilledService, type FaultKind } from './fault-drill';

/**
 * A consuming service's fault drills at CI size: `size` events of the seeded bank (or of the service's own
 * stream) through a fault-free reference instance and, side by side, instances killed with SIGKILL and
 * restarted, whose Redis keys are wiped, or whose Postgres connections are cut, half-way. The outcome must
 * equal the reference's, and the service's `filled` tables must have rows. Returns the reference's outcome.
 */
export async function expectServiceSurvivesFaults(
  service: DrilledService,
  options: { size: number; faults: FaultKind[] },
): Promise<string[]> {
  const { reference, drills } = await runDrills({
    service,
    events: service.stream?.({ size: options.size, seed: 42 }).events ?? bankEvents({ size: options.size }),
    faults: options.faults,
    postgresMode: 'terminate-backends',
    concurrent: true,
    timeoutMs: 120_000,
  });
  const tablesWithRows = new Set(reference.outcome.map((row) => row.slice(0, row.indexOf(' '))));
  expect((service.filled ?? []).filter((table) => !tablesWithRows.has(table))).toEqual([]);
  expect(reference.duplicates).toBe(0);
  for (const drill of drills) {
    expect({
      drill: drill.name,
      missing: drill.missing.slice(0, 5),
      extra: drill.extra.slice(0, 5),
      doubled: drill.duplicates,
    }).toEqual({ drill: drill.name, missing: [], extra: [], doubled: 0 });
    expect(drill.detail).toMatch(/^at \d+\/\d+ events: /);
  }
  return reference.outcome;
}
