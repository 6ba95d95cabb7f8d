import { setTimeout as sleep } from 'node:timers/promises';
import { describeProblems, validateEventPayload } from '@crm/contracts';
import {
  type Bank,
  buildScenario,
  type EventSink,
  mergeByTime,
  populationEvents,
  type ScenarioRun,
  type SimEvent,
} from '@crm/corebank-simulation';
import type { SimulatorOptions } from './cli-options';
import type { ProgressReporter } from './progress-reporter';
import { RunSummary } from './run-summary';

/** The generator produced an event its own contract rejects: a simulator bug, never published. */
export class InvalidGeneratedEventError extends Error {
  constructor(event: SimEvent, problems: string) {
    super(`generated ${event.type} ${event.id} is invalid:\n${problems}`);
    this.name = 'InvalidGeneratedEventError';
  }
}

const MAX_BATCH = 500;

/** What a run publishes: its events, how many (undefined: until stopped), and whom they are about. */
export interface EventSource {
  events: Iterable<SimEvent>;
  total?: number;
  /** The scenarios told, when the run tells scenarios. */
  runs: ScenarioRun[];
  /** The population's bank, when the run is the live population. */
  bank?: Bank;
}

export function eventSource(options: SimulatorOptions): EventSource {
  if (options.scenarios) {
    const runs = options.scenarios.map((name) =>
      buildScenario(name, { seed: options.seed, start: options.start }),
    );
    const events = runs.flatMap((run) => run.events);
    return { events, total: Math.min(events.length, options.count ?? Infinity), runs };
  }
  const { bank, initialLoad, stream, lobby } = populationEvents({
    seed: options.seed,
    customers: options.customers,
    start: options.start,
  });
  function* all(): Generator<SimEvent> {
    yield* initialLoad;
    yield* mergeByTime(stream, lobby);
  }
  return {
    events: all(),
    total: options.count === undefined ? undefined : initialLoad.length + options.count,
    runs: [],
    bank,
  };
}

/**
 * Pulls events from the source in batches, validates each against its contract, publishes, and paces
 * publication to the rate. Stops at the total, at the deadline, or when `signal` aborts (after the
 * batch in hand is published, so nothing generated is half-sent).
 */
export async function runSimulation(
  { events, total }: EventSource,
  options: SimulatorOptions,
  sink: EventSink,
  progress: ProgressReporter,
  signal: AbortSignal,
): Promise<{ summary: RunSummary; elapsedMs: number; interrupted: boolean }> {
  const iterator = events[Symbol.iterator]();
  const summary = new RunSummary();
  const startedAt = Date.now();
  const deadline =
    options.durationSeconds === undefined ? Infinity : startedAt + options.durationSeconds * 1000;
  const batchSize =
    options.rate > 0 ? Math.min(MAX_BATCH, Math.max(1, Math.ceil(options.rate / 10))) : MAX_BATCH;
  const limit = total ?? Infinity;

  progress.start(total);
  try {
    while (!signal.aborted && Date.now() < deadline && summary.published < limit) {
      const batch: SimEvent[] = [];
      while (batch.length < batchSize && summary.published + batch.length < limit) {
        const next = iterator.next();
        if (next.done) break;
        const result = validateEventPayload(next.value.type, next.value.data);
        if (!result.ok) throw new InvalidGeneratedEventError(next.value, describeProblems(result.problems));
        batch.push(next.value);
      }
      if (batch.length === 0) break;
      await sink.publish(batch);
      summary.add(batch);
      const elapsed = Date.now() - startedAt;
      progress.update(
        summary.published,
        (summary.published * 1000) / Math.max(elapsed, 1),
        summary.lastTime ?? '',
      );
      if (options.rate > 0) {
        const due = startedAt + (summary.published / options.rate) * 1000;
        const wait = Math.min(due, deadline) - Date.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  } finally {
    progress.stop();
  }
  return { summary, elapsedMs: Date.now() - startedAt, interrupted: signal.aborted };
}
