import { LoadResult, LoadTarget, SLICES_PER_SECOND, runLoad } from './load-run';
import { Progress } from './progress';
import { Spread, ratio, spread } from './stats';

export interface ComparisonPlan {
  /** Report title and file name, e.g. `customer-service` gives docs/benchmarks/customer-service.md. */
  name: string;
  /** The first is the reference the others are divided by (the baseline). */
  targets: LoadTarget[];
  /** Requests per second, each run at a fixed rate. */
  rates: number[];
  durationSeconds: number;
  /** Runs per target and rate; medians are taken over them. Default 3. */
  repeats?: number;
  /** Unmeasured load on each target first, at the highest rate, so JIT and pools are warm. Default 3 s. */
  warmupSeconds?: number;
  /** Connections of each staggered slice of the load (see runLoad); default 2. */
  connections?: number;
  /** Free text for the report: what each target does, env overrides, data volume. */
  notes?: string[];
}

export interface TargetSummary {
  target: string;
  rate: number;
  achievedRps: Spread;
  p50: Spread;
  p90: Spread;
  p99: Spread;
  max: Spread;
  errors: number;
  non2xx: number;
  /** Median latency over the reference's median latency at the same rate; 1 for the reference. */
  p50Ratio: number;
  p99Ratio: number;
}

export interface Comparison {
  plan: Required<Omit<ComparisonPlan, 'notes' | 'connections'>> &
    Pick<ComparisonPlan, 'notes' | 'connections'>;
  runs: LoadResult[];
  summaries: TargetSummary[];
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Runs every target at every rate, `repeats` times, interleaved (round after round, the target
 * order alternating) so that noise from a shared machine falls on all targets alike.
 */
export async function compareTargets(input: ComparisonPlan): Promise<Comparison> {
  const plan = { repeats: 3, warmupSeconds: 3, ...input };
  if (plan.targets.length === 0 || plan.rates.length === 0) throw new Error('a plan needs targets and rates');
  const startedAt = new Date();
  const rounds: { target: LoadTarget; rate: number }[] = [];
  for (let repeat = 0; repeat < plan.repeats; repeat += 1) {
    for (const rate of plan.rates) {
      const order = repeat % 2 === 0 ? plan.targets : [...plan.targets].reverse();
      for (const target of order) rounds.push({ target, rate });
    }
  }
  const topRate = Math.max(...plan.rates);
  const warmups = plan.warmupSeconds > 0 ? plan.targets.length : 0;
  // Each run also waits for its last staggered slice to start.
  const stagger = (SLICES_PER_SECOND - 1) / SLICES_PER_SECOND;
  const progress = new Progress(
    warmups * (plan.warmupSeconds + stagger) + rounds.length * (plan.durationSeconds + stagger),
  );

  for (const target of warmups ? plan.targets : []) {
    await progress.step(`warm-up ${target.name} @ ${topRate}/s`, plan.warmupSeconds + stagger, (onProgress) =>
      runLoad(target, {
        rate: topRate,
        durationSeconds: plan.warmupSeconds,
        connections: plan.connections,
        onProgress,
      }),
    );
  }
  const runs: LoadResult[] = [];
  for (const [index, { target, rate }] of rounds.entries()) {
    const result = await progress.step(
      `run ${index + 1}/${rounds.length} ${target.name} @ ${rate}/s`,
      plan.durationSeconds + stagger,
      (onProgress) =>
        runLoad(target, {
          rate,
          durationSeconds: plan.durationSeconds,
          connections: plan.connections,
          onProgress,
        }),
    );
    progress.log(
      `  ${target.name} @ ${rate}/s: ${result.achievedRps.toFixed(0)} rps, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}` +
        (result.errors || result.non2xx ? `, ${result.errors} errors, ${result.non2xx} non-2xx` : ''),
    );
    runs.push(result);
  }
  progress.done();
  return {
    plan,
    runs,
    summaries: summarise(plan.targets, plan.rates, runs),
    startedAt,
    finishedAt: new Date(),
  };
}

export function summarise(targets: LoadTarget[], rates: number[], runs: LoadResult[]): TargetSummary[] {
  const summaries: TargetSummary[] = [];
  for (const rate of rates) {
    let reference: TargetSummary | undefined;
    for (const target of targets) {
      const mine = runs.filter((run) => run.target === target.name && run.rate === rate);
      const of = (pick: (run: LoadResult) => number): Spread => spread(mine.map(pick));
      const summary: TargetSummary = {
        target: target.name,
        rate,
        achievedRps: of((run) => run.achievedRps),
        p50: of((run) => run.p50),
        p90: of((run) => run.p90),
        p99: of((run) => run.p99),
        max: of((run) => run.max),
        errors: mine.reduce((sum, run) => sum + run.errors, 0),
        non2xx: mine.reduce((sum, run) => sum + run.non2xx, 0),
        p50Ratio: 1,
        p99Ratio: 1,
      };
      reference ??= summary;
      summary.p50Ratio = ratio(summary.p50.median, reference.p50.median);
      summary.p99Ratio = ratio(summary.p99.median, reference.p99.median);
      summaries.push(summary);
    }
  }
  return summaries;
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;
