import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { format, resolveConfig } from 'prettier';
import { HEAD_OFFICE_ID } from '@crm/corebank-simulation';
import { DEV_ENV_FILE, Role, loadDevTokenConfig, signDevToken } from '@crm/security';
import {
  REPO_ROOT,
  describeMachine,
  runSection,
  percentile,
  progressChartSvg,
  type ProgressSeries,
} from '../lib';

/**
 * The whole system for a long while: `npm run up` with the simulator at `--rate` events/s and live API
 * traffic (360 views, searches, alert inboxes) at `--api-rate` requests/s, while each service's resident
 * memory, event-loop delay (p99 over prom-client's window) and consumer-group lag are sampled every
 * `--sample` seconds. Writes docs/benchmarks/<name>.md with three charts. Its pass line, per service: flat
 * memory (the last third's peak at most 10 % above the middle third's) and bounded lag (at the end, and at
 * its peak over the last third, at most 30 s of the stream).
 *
 *   node -r ./tools/register.js bench/soak/soak.ts [--minutes 30] [--rate 2000] [--api-rate 20] [--sample 10] [--name soak]
 *
 * `--name` names the report and its charts (docs/benchmarks/<name>.md, <name>-memory.svg, ...).
 * It stops what `npm run up` started, starts it again at the soak's rate, and stops it at the end.
 */

const SERVICES = {
  'customer-service': 3001,
  'assignment-service': 3002,
  'alert-service': 3003,
  'campaign-service': 3004,
  'analytics-service': 3005,
} as const;
type ServiceName = keyof typeof SERVICES;
const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
const BANK_TOPIC_PREFIX = 'corebank.';
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const OUT_DIR = join(REPO_ROOT, 'docs', 'benchmarks');
/** Memory is flat when the last third's peak is at most this much above the middle third's. */
const FLAT_MEMORY_SLACK = 1.1;
/** Lag is bounded when it stays within this many seconds of the stream. */
const BOUNDED_LAG_SECONDS = 30;
/** Users the API traffic is spread over. */
const API_USERS = 20;

interface Options {
  minutes: number;
  rate: number;
  apiRate: number;
  sampleSeconds: number;
  name: string;
}

interface Sample {
  seconds: number;
  /** Events/s published to the bank topics since the previous sample. */
  publishedRate: number;
  services: Record<ServiceName, { rssMb: number; loopP99Ms: number; lag: number } | undefined>;
  /** API calls in the window: latencies (ms) of the answered, refused by a user's rate limit, failed. */
  api: { latencies: number[]; throttled: number; failures: number };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date();
  const machine = describeMachine();
  run('npm run down', ['bash', 'deploy/local/down.sh']);
  run(`npm run up at ${options.rate} events/s`, ['bash', 'deploy/local/up.sh'], {
    SIM_RATE: String(options.rate),
  });
  const kafka = new Kafka({ brokers: KAFKA_BROKERS, clientId: 'soak', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const samples: Sample[] = [];
  try {
    const config = loadDevTokenConfig(process.env, DEV_ENV_FILE);
    // Several users, as at a bank: each stays within the per-user rate limits (searches are limited).
    const tokens = Array.from({ length: API_USERS }, (_, i) =>
      signDevToken(
        {
          sub: `soak-head-office-admin-${i + 1}`,
          roles: [Role.HeadOfficeAdmin],
          inst: HEAD_OFFICE_ID,
          perms: [],
        },
        config,
      ),
    );
    const traffic = new ApiTraffic(tokens, options.apiRate);
    traffic.start();
    const began = Date.now();
    let published = await publishedCount(admin);
    let at = began;
    const end = began + options.minutes * 60_000;
    while (Date.now() < end) {
      await sleep(options.sampleSeconds * 1000 - ((Date.now() - began) % (options.sampleSeconds * 1000)));
      const now = Date.now();
      const count = await publishedCount(admin);
      const sample: Sample = {
        seconds: Math.round((now - began) / 1000),
        publishedRate: ((count - published) * 1000) / (now - at),
        services: Object.fromEntries(
          await Promise.all(SERVICE_NAMES.map(async (name) => [name, await serviceSample(admin, name)])),
        ) as Sample['services'],
        api: traffic.takeWindow(),
      };
      published = count;
      at = now;
      samples.push(sample);
      console.error(progressLine(sample, options));
    }
    await traffic.stop();
  } finally {
    await admin.disconnect();
    run('npm run down', ['bash', 'deploy/local/down.sh']);
  }
  await writeReport(samples, options, startedAt, machine);
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '2000' },
      'api-rate': { type: 'string', default: '20' },
      sample: { type: 'string', default: '10' },
      name: { type: 'string', default: 'soak' },
    },
  });
  const options = {
    minutes: Number(values.minutes),
    rate: Number(values.rate),
    apiRate: Number(values['api-rate']),
    sampleSeconds: Number(values.sample),
    name: values.name,
  };
  if (!/^[a-z0-9-]+$/.test(options.name)) throw new Error('--name: lower-case letters, digits and dashes');
  if (!(options.minutes > 0)) throw new Error('--minutes: a positive number');
  if (!(options.rate > 0)) throw new Error('--rate: positive events/s');
  if (!(options.apiRate >= 0)) throw new Error('--api-rate: requests/s, 0 for none');
  if (!(options.sampleSeconds >= 1)) throw new Error('--sample: at least 1 s');
  return options;
}

function run(label: string, command: string[], env: Record<string, string> = {}): void {
  console.error(`==> ${label}`);
  const result = spawnSync(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

/** Every event on the bank's topics so far: the sum of their partitions' end offsets. */
async function publishedCount(admin: ReturnType<Kafka['admin']>): Promise<number> {
  const topics = (await admin.listTopics()).filter(
    (t) => t.startsWith(BANK_TOPIC_PREFIX) && !t.endsWith('.dlq'),
  );
  const offsets = await Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)));
  return offsets.flat().reduce((sum, p) => sum + Number(p.high), 0);
}

/** The service's memory and event-loop delay from its /metrics, and its consumer group's lag from Kafka. */
async function serviceSample(
  admin: ReturnType<Kafka['admin']>,
  name: ServiceName,
): Promise<Sample['services'][ServiceName]> {
  try {
    const metrics = await (await fetch(`http://127.0.0.1:${SERVICES[name]}/metrics`)).text();
    const committed = await admin.fetchOffsets({ groupId: name });
    let lag = 0;
    for (const { topic, partitions } of committed) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
      for (const p of partitions) {
        const end = ends.get(p.partition) ?? 0;
        lag += Math.max(0, end - (Number(p.offset) < 0 ? 0 : Number(p.offset)));
      }
    }
    return {
      rssMb: gauge(metrics, 'process_resident_memory_bytes') / 2 ** 20,
      loopP99Ms: gauge(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      lag,
    };
  } catch {
    // Not answering: the gap shows in the charts and the table counts it.
    return undefined;
  }
}

const gauge = (metrics: string, name: string): number => {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
};

/**
 * What a bank's users do meanwhile, at a fixed rate: head-office admins open 360 views of customers a
 * search found, run that search, and read the alert inbox. Latencies are kept per sampling window.
 */
class ApiTraffic {
  private latencies: number[] = [];
  private throttled = 0;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private customerIds: string[] = [];
  private turn = 0;

  constructor(
    private readonly tokens: readonly string[],
    private readonly rate: number,
  ) {}

  start(): void {
    if (this.rate === 0) return;
    this.timer = setInterval(() => this.fire(), 1000 / this.rate);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  takeWindow(): Sample['api'] {
    const window = { latencies: this.latencies, throttled: this.throttled, failures: this.failures };
    this.latencies = [];
    this.throttled = 0;
    this.failures = 0;
    return window;
  }

  private fire(): void {
    const call = this.call().finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
  }

  private async call(): Promise<void> {
    this.turn += 1;
    const kind =
      this.customerIds.length === 0 || this.turn % 4 === 0
        ? 'search'
        : this.turn % 4 === 1
          ? 'alerts'
          : '360';
    const started = performance.now();
    try {
      const response =
        kind === 'search'
          ? await this.request(`${SERVICES['customer-service']}/api/v1/customers/search`, {
              filter: { aum: { min: '100000.00' } },
              pageSize: 50,
            })
          : kind === 'alerts'
            ? await this.request(`${SERVICES['alert-service']}/api/v1/alerts?limit=20`)
            : await this.request(
                `${SERVICES['customer-service']}/api/v1/customers/${this.customerIds[this.turn % this.customerIds.length]}/360`,
              );
      const body = await response.text();
      if (response.status === 429) {
        this.throttled += 1;
        return;
      }
      if (!response.ok) {
        this.failures += 1;
        return;
      }
      this.latencies.push(performance.now() - started);
      if (kind === 'search') {
        const found = (JSON.parse(body) as { items: { id: string }[] }).items.map((item) => item.id);
        if (found.length > 0) this.customerIds = found;
      }
    } catch {
      this.failures += 1;
    }
  }

  private request(portAndPath: string, body?: object): Promise<Response> {
    return fetch(`http://127.0.0.1:${portAndPath}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: `Bearer ${this.tokens[this.turn % this.tokens.length]}`,
        'content-type': 'application/json',
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  }
}

function progressLine(sample: Sample, options: Options): string {
  const minutes = `${Math.floor(sample.seconds / 60)}:${String(sample.seconds % 60).padStart(2, '0')}`;
  const services = SERVICE_NAMES.map((name) => {
    const s = sample.services[name];
    return s ? `${name.replace('-service', '')} ${s.rssMb.toFixed(0)} MB lag ${s.lag}` : `${name} down`;
  }).join(' | ');
  return `[${minutes}/${options.minutes}:00] published ${sample.publishedRate.toFixed(0)} ev/s | ${services} | api ${sample.api.latencies.length} ok ${sample.api.throttled} throttled ${sample.api.failures} failed`;
}

interface Verdict {
  name: ServiceName;
  rssStart: number;
  rssPeak: number;
  rssEnd: number;
  middlePeak: number;
  lastPeak: number;
  flat: boolean;
  loopP99Max: number;
  lagPeak: number;
  lagLastPeak: number;
  lagEnd: number;
  bounded: boolean;
  missing: number;
}

function verdictOf(name: ServiceName, samples: readonly Sample[], rate: number): Verdict {
  const values = samples.map((s) => s.services[name]);
  const present = values.filter((v): v is NonNullable<typeof v> => v !== undefined);
  const third = Math.floor(samples.length / 3);
  const peak = (from: number, to: number, pick: (v: NonNullable<(typeof values)[number]>) => number) =>
    Math.max(0, ...values.slice(from, to).flatMap((v) => (v ? [pick(v)] : [])));
  const middlePeak = peak(third, 2 * third, (v) => v.rssMb);
  const lastPeak = peak(2 * third, samples.length, (v) => v.rssMb);
  const lagLastPeak = peak(2 * third, samples.length, (v) => v.lag);
  const lagEnd = present.at(-1)?.lag ?? Infinity;
  const lagLimit = rate * BOUNDED_LAG_SECONDS;
  return {
    name,
    rssStart: present[0]?.rssMb ?? NaN,
    rssPeak: peak(0, samples.length, (v) => v.rssMb),
    rssEnd: present.at(-1)?.rssMb ?? NaN,
    middlePeak,
    lastPeak,
    flat: lastPeak <= middlePeak * FLAT_MEMORY_SLACK,
    loopP99Max: peak(0, samples.length, (v) => v.loopP99Ms),
    lagPeak: peak(0, samples.length, (v) => v.lag),
    lagLastPeak,
    lagEnd,
    bounded: lagEnd <= lagLimit && lagLastPeak <= lagLimit,
    missing: values.length - present.length,
  };
}

async function writeReport(
  samples: readonly Sample[],
  options: Options,
  startedAt: Date,
  machine: ReturnType<typeof describeMachine>,
): Promise<void> {
  const verdicts = SERVICE_NAMES.map((name) => verdictOf(name, samples, options.rate));
  const series = (pick: (v: NonNullable<Sample['services'][ServiceName]>) => number): ProgressSeries[] =>
    SERVICE_NAMES.map((name) => ({
      name,
      points: samples.flatMap((s) => {
        const v = s.services[name];
        return v ? [[s.seconds, pick(v)] as const] : [];
      }),
    }));
  const charts = {
    [`${options.name}-memory.svg`]: progressChartSvg(
      'Resident memory per service',
      series((v) => v.rssMb),
      'MB',
    ),
    [`${options.name}-lag.svg`]: progressChartSvg(
      'Consumer lag per service',
      series((v) => v.lag),
      'events behind',
    ),
    [`${options.name}-event-loop.svg`]: progressChartSvg(
      'Event-loop delay per service (p99)',
      series((v) => v.loopP99Ms),
      'ms',
    ),
  };
  for (const [file, svg] of Object.entries(charts)) writeFileSync(join(OUT_DIR, file), svg);

  const rates = samples.map((s) => s.publishedRate).slice(1);
  const apiLatencies = samples.flatMap((s) => s.api.latencies);
  const apiFailures = samples.reduce((sum, s) => sum + s.api.failures, 0);
  const apiThrottled = samples.reduce((sum, s) => sum + s.api.throttled, 0);
  const pass = verdicts.every((v) => v.flat && v.bounded);
  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const lines = [
    '# Soak',
    '',
    `Generated by bench/soak on ${startedAt.toISOString()}; do not edit by hand, run the command below again.`,
    '',
    `The whole system as \`npm run up\` starts it (every service, Postgres, Redis, Kafka, the simulator at ` +
      `${options.rate} events/s) for ${options.minutes} minutes, with a head-office admin's API traffic at ` +
      `${options.apiRate} requests/s from ${API_USERS} users (a search, 360 views of the customers it found, the ` +
      `alert inbox). Every ` +
      `${options.sampleSeconds} s: each service's resident memory and event-loop delay (p99, from its /metrics) ` +
      `and its consumer group's lag (committed offsets against the topics' ends, from Kafka).`,
    '',
    '## Pass line',
    '',
    `Memory flat (the last third's peak at most ${Math.round((FLAT_MEMORY_SLACK - 1) * 100)} % above the ` +
      `middle third's) and lag bounded (at the end and at its peak over the last third, at most ` +
      `${BOUNDED_LAG_SECONDS} s of the stream: ${options.rate * BOUNDED_LAG_SECONDS} events): ` +
      `**${pass ? 'passed' : 'not passed'}**.`,
    '',
    '| service | RSS start MB | RSS peak MB | RSS end MB | peak, middle → last third MB | memory flat | event-loop p99 max ms | lag peak | lag peak, last third | lag at end | lag bounded | samples missed |',
    '| --- | --: | --: | --: | --: | --- | --: | --: | --: | --: | --- | --: |',
    ...verdicts.map(
      (v) =>
        `| ${v.name} | ${fmt(v.rssStart)} | ${fmt(v.rssPeak)} | ${fmt(v.rssEnd)} | ${fmt(v.middlePeak)} → ${fmt(v.lastPeak)} | ${v.flat ? 'yes' : '**no**'} | ${fmt(v.loopP99Max, 1)} | ${v.lagPeak} | ${v.lagLastPeak} | ${v.lagEnd} | ${v.bounded ? 'yes' : '**no**'} | ${v.missing} |`,
    ),
    '',
    `Stream published: median ${fmt(percentile(rates, 50))} events/s per window (min ${fmt(Math.min(...rates))}, ` +
      `max ${fmt(Math.max(...rates))}). API: ${apiLatencies.length} answered, ${apiThrottled} refused by a user's ` +
      `rate limit (429), ${apiFailures} failed (another status, or no answer in 10 s); ` +
      `p50 ${fmt(percentile(apiLatencies, 50), 1)} ms, p99 ${fmt(percentile(apiLatencies, 99), 1)} ms.`,
    '',
    `![resident memory per service](${options.name}-memory.svg)`,
    '',
    `![consumer lag per service](${options.name}-lag.svg)`,
    '',
    `![event-loop delay per service](${options.name}-event-loop.svg)`,
    '',
    ...runSection(
      machine,
      startedAt,
      'Postgres, Redis, a single Kafka broker, the five services and the simulator share the machine.',
    ),
    '',
  ];
  const path = join(OUT_DIR, `${options.name}.md`);
  // As the repository's format check wants it.
  await writeFile(path, await format(lines.join('\n'), { ...(await resolveConfig(path)), filepath: path }));
  console.log(lines.slice(0, 20).join('\n'));
  console.error(`wrote ${path} and its charts`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
