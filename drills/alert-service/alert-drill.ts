import { buildScenario, populationEvents, SCENARIOS, type SimEvent } from '@crm/corebank-simulation';
import {
  difference,
  runDrills,
  type DrillOptions,
  type DrillResult,
  type DrilledService,
} from '../lib/fault-drill';

const DAY_MS = 86_400_000;

export interface DrillStream {
  events: SimEvent[];
  /** Alerts the mixed-in scenarios declare, as alert keys; a reference run must store every one of them. */
  declared: string[];
  scenarioRuns: number;
  firstEventAt: Date;
  lastEventAt: Date;
}

export const alertKeyOf = (a: { kind: string; customerId: string; subjectRef: string; periodKey: string }) =>
  `${a.kind}|${a.customerId}|${a.subjectRef}|${a.periodKey}`;

/** alert-service's outcome: its alerts by key (a key stored twice would be an alert doubled). */
export const ALERT_DRILL: DrilledService = {
  name: 'alert',
  entry: 'apps/alert-service/src/main.ts',
  outcome: async (db) =>
    (
      await db.sql<{ key: string }>(
        `SELECT kind || '|' || customer_id || '|' || subject_ref || '|' || period_key AS key FROM "${db.schema}".alert`,
      )
    )
      .map((r) => r.key)
      .sort(),
  // Reminders come due by timers after the stream is consumed: caught up only once they stop coming.
  settling: async (db) =>
    (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}".alert`))[0].n,
};

/**
 * `size` events: the seeded bank's initial load and activity, with every scenario told again (a new seed
 * each time) after each `scenarioEvery` population events, so alerts of every kind fire throughout.
 * The simulated time starts `daysBack` days before today's midnight (UTC), so the stream lies in the past:
 * reminders are due by event time or already by the wall clock, the same for every run of the drill.
 */
export function buildDrillStream(options: {
  size: number;
  seed?: number;
  daysBack?: number;
  scenarioEvery?: number;
}): DrillStream {
  const seed = options.seed ?? 42;
  const scenarioEvery = options.scenarioEvery ?? 2_000;
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - (options.daysBack ?? 60) * DAY_MS;
  const customers = Math.max(100, Math.round(options.size / 50));
  const population = populationEvents({ seed, customers, start });
  const events: SimEvent[] = [];
  const declared: string[] = [];
  let scenarioRuns = 0;
  let sinceScenarios = 0;
  const feed = function* (): Generator<SimEvent> {
    yield* population.initialLoad;
    yield* population.stream;
  };
  for (const event of feed()) {
    if (events.length >= options.size) break;
    events.push(event);
    sinceScenarios += 1;
    if (sinceScenarios >= scenarioEvery) {
      sinceScenarios = 0;
      const at = Date.parse(event.time);
      for (const scenario of SCENARIOS) {
        const run = buildScenario(scenario.name, { seed: seed + scenarioRuns, start: at });
        events.push(...run.events);
        declared.push(...run.expectedAlerts.map(alertKeyOf));
      }
      scenarioRuns += 1;
    }
  }
  const times = events.map((e) => Date.parse(e.time));
  return {
    events,
    declared: declared.sort(),
    scenarioRuns,
    firstEventAt: new Date(Math.min(...times)),
    lastEventAt: new Date(Math.max(...times)),
  };
}

/** The drills on alert-service, the reference also held to every alert its scenarios declare. */
export async function runAlertDrills(
  stream: DrillStream,
  options: Omit<DrillOptions, 'service' | 'events'>,
): Promise<{ reference: DrillResult; drills: DrillResult[] }> {
  const { reference, drills } = await runDrills({ ...options, service: ALERT_DRILL, events: stream.events });
  const declaredMissing = difference(stream.declared, reference.outcome);
  return {
    reference: {
      ...reference,
      expected: stream.declared.length,
      missing: declaredMissing,
      detail: `stores all ${stream.declared.length} scenario-declared alerts: ${declaredMissing.length === 0}`,
    },
    drills,
  };
}
