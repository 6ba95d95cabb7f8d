import { parseArgs } from 'node:util';
import { Comparison, ComparisonPlan, compareTargets } from './compare';
import { NodeAppOptions, RunningNodeApp, startBaseline, startNodeApp } from './node-app';
import { WrittenReport, writeReport } from './report';

export interface RunSettings {
  rates: number[];
  durationSeconds: number;
  repeats: number;
  warmupSeconds: number;
  connections: number;
}

/**
 * A script's defaults, overridable on its command line:
 * `--rates 100,300 --duration 10 --repeats 3 --warmup 3 --connections 20`.
 */
export function runSettings(defaults: RunSettings, argv: string[] = process.argv.slice(2)): RunSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: 'string' },
      duration: { type: 'string' },
      repeats: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
    },
  });
  const positive = (name: string, raw: string | undefined, fallback: number, allowZero = false): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
      throw new Error(`--${name} must be a positive number, got "${raw}"`);
    }
    return value;
  };
  return {
    rates: values.rates ? values.rates.split(',').map((rate) => positive('rates', rate, 0)) : defaults.rates,
    durationSeconds: positive('duration', values.duration, defaults.durationSeconds),
    repeats: positive('repeats', values.repeats, defaults.repeats),
    warmupSeconds: positive('warmup', values.warmup, defaults.warmupSeconds, true),
    connections: positive('connections', values.connections, defaults.connections),
  };
}

/** The request to load a service with, relative to its base URL. */
export interface ServiceRequest {
  /** e.g. `/api/v1/customers/c-1`. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ServiceBenchmark {
  /** Report name: docs/benchmarks/<name>.md and .svg. */
  name: string;
  /** How to start the service: entry, env (DATABASE_URL, JWT_SECRET...), readiness path. */
  service: NodeAppOptions;
  /** Seed data, mint tokens...: runs once the service answers, returns the request to load it with. */
  prepare: (service: RunningNodeApp) => Promise<ServiceRequest>;
  settings: RunSettings;
  notes?: string[];
}

/**
 * The whole side-by-side run: starts the baseline and the service as child processes (same Node
 * flags), loads both at each rate, writes the report, stops both, and prints the ratio table.
 */
export async function benchmarkServiceAgainstBaseline(
  benchmark: ServiceBenchmark,
): Promise<{ comparison: Comparison; report: WrittenReport }> {
  const apps: RunningNodeApp[] = [];
  const track = (app: RunningNodeApp): RunningNodeApp => {
    apps.push(app);
    return app;
  };
  try {
    const [baseline, service] = await Promise.all([
      startBaseline().then(track),
      startNodeApp(benchmark.service).then(track),
    ]);
    const request = await benchmark.prepare(service);
    const plan: ComparisonPlan = {
      name: benchmark.name,
      targets: [
        { name: 'baseline', url: `${baseline.baseUrl}/hello` },
        {
          name: benchmark.service.name,
          url: service.baseUrl + request.path,
          method: request.method,
          headers: request.headers,
          body: request.body,
        },
      ],
      rates: benchmark.settings.rates,
      durationSeconds: benchmark.settings.durationSeconds,
      repeats: benchmark.settings.repeats,
      warmupSeconds: benchmark.settings.warmupSeconds,
      connections: benchmark.settings.connections,
      notes: [
        'baseline: a NestJS hello world (bench/baseline, `GET /hello`), started the same way as the service.',
        ...(benchmark.notes ?? []),
      ],
    };
    const comparison = await compareTargets(plan);
    const report = await writeReport(comparison);
    printSummary(comparison, report);
    return { comparison, report };
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

/** The ratio table on stdout, and where the report went. */
export function printSummary(comparison: Comparison, report: WrittenReport): void {
  console.log(`\n${comparison.plan.name}: medians over ${comparison.plan.repeats} runs`);
  console.table(
    comparison.summaries.map((s) => ({
      rate: s.rate,
      target: s.target,
      'req/s': Math.round(s.achievedRps.median),
      'p50 ms': round(s.p50.median),
      'p90 ms': round(s.p90.median),
      'p99 ms': round(s.p99.median),
      errors: s.errors,
      'non-2xx': s.non2xx,
      'p50 ratio': round(s.p50Ratio),
      'p99 ratio': round(s.p99Ratio),
    })),
  );
  console.log(`report: ${report.markdownPath}\nchart:  ${report.svgPath}`);
}

const round = (value: number): number => Math.round(value * 100) / 100;
