import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { type Consumer, type Kafka } from 'kafkajs';
import { Client } from 'pg';
import { format, resolveConfig } from 'prettier';
import {
  CreditDebitIndicator,
  EventHeaders,
  EventTypes,
  type TransactionPostedPayload,
} from '@crm/contracts';
import { KafkaEventSink, populationEvents, type SimEvent } from '@crm/corebank-simulation';
import { deleteTopicsWithPrefix, testKafka, testStack } from '@crm/testing';
import {
  committedCount,
  cpuSecondsOf,
  DEPLOYED_NODE_OPTIONS,
  listTopics,
  measureThroughput,
  type ThroughputResult,
  describeMachine,
  latencyChartSvg,
  runSection,
  percentiles,
  Progress,
  REPORT_DIR,
  type Spread,
  startNodeApp,
  STACK_PROCESS_GROUPS,
  stackProcessGroups,
  type ProcessGroup,
  RssSampler,
  type RunningNodeApp,
} from '../lib';

/**
 * bench/alerts: the alert service's sustained throughput and its publish-to-alert-stored latency, side by
 * side with a bare kafkajs consumer group reading the same topics and doing nothing (the ceiling).
 *   node -r ./tools/register.js bench/alerts/alerts.bench.ts [--events 200000] [--rates 2000] [--duration 20]
 * Throughput: N events of the seeded bank (initial load and activity, every kind) are published first, then
 * each consumer in turn reads them all; the rate is the slope between 10 % and 90 % consumed. Latency: events
 * are published at a fixed rate, one in ten a large inflow (one alert each, a fresh account and booking day),
 * both consumers running; per large inflow, publish time to alert.raised_at (service) or to receipt (bare).
 */

const SECRETS = {
  JWT_SECRET: 'bench-only-jwt-secret-0123456789abcdef',
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
};
const DAY_MS = 86_400_000;
const SLICES_PER_SECOND = 10;
const ALERT_EVERY = 10;
const LARGE_CREDIT = '600000.00';
/** Issue 12's targets. */
const TARGET_EVENTS_PER_SECOND = 10_000;
const TARGET_RSS_BYTES = 300_000_000;

interface Options {
  events: number;
  rates: number[];
  durationSeconds: number;
  seed: number;
  write: boolean;
}

interface LatencyResult {
  target: string;
  rate: number;
  achievedRate: number;
  published: number;
  samples: number;
  expected: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  drainSeconds: number;
  /** The consumer's own CPU from the first publish until it had consumed everything (service only). */
  cpu?: { cores: number; microsPerEvent: number };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const suffix = randomBytes(4).toString('hex');
  const schema = `bench_alert_${suffix}`;
  const topicPrefix = `test.bench-alert-${suffix}.`;
  const redisPrefix = `test:bench-alert-${suffix}:`;
  // Two instances catch up on a copy of the stream, into a schema of their own: the same work as one.
  const pair = {
    schema: `${schema}_pair`,
    topicPrefix: `test.bench-alert-${suffix}-pair.`,
    redisPrefix: `test:bench-alert-${suffix}-pair:`,
  };
  const kafka = testKafka(`bench-alerts-${suffix}`);
  const db = new Client({ connectionString: testStack.databaseUrl, application_name: 'bench-alerts' });
  await db.connect();
  const machine = describeMachine();
  const startedAt = new Date();
  const estimate = options.events / 250 + options.rates.length * (options.durationSeconds + 60) + 60;
  const progress = new Progress(estimate);
  let service: RunningNodeApp | undefined;
  let pairInstances: RunningNodeApp[] = [];
  let bare: BareConsumer | undefined;
  let rss: RssSampler | undefined;
  // The backends serving the service's own connections, so that the Postgres CPU it causes is told apart
  // from what other users of the same server do meanwhile.
  const sessions = new Set<number>();
  const refreshSessions = async () => {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'alert-service%'`,
    );
    rows.forEach((r) => sessions.add(r.pid));
  };
  try {
    progress.log(`generating ${options.events} events (seed ${options.seed})`);
    const { events, accounts, stream } = generate(options);
    const sink = new KafkaEventSink({
      brokers: testStack.kafkaBrokers,
      topicPrefix,
      clientId: 'bench-alerts',
    });
    const pairSink = new KafkaEventSink({
      brokers: testStack.kafkaBrokers,
      topicPrefix: pair.topicPrefix,
      clientId: 'bench-alerts',
    });
    const publishStarted = Date.now();
    for (let at = 0; at < events.length; at += 5_000) {
      await sink.publish(events.slice(at, at + 5_000));
      progress.log(`published ${Math.min(at + 5_000, events.length)}/${events.length}`);
    }
    const publishSeconds = (Date.now() - publishStarted) / 1000;
    for (let at = 0; at < events.length; at += 5_000) await pairSink.publish(events.slice(at, at + 5_000));
    await pairSink.close();
    const topics = await listTopics(kafka, topicPrefix);
    const pairTopics = await listTopics(kafka, pair.topicPrefix);

    // Throughput, one consumer at a time so each has the machine to itself.
    bare = new BareConsumer(kafka, `${topicPrefix}bare`);
    const bareThroughput = await measureThroughput(
      'bare kafkajs consumer',
      events.length,
      progress,
      async () => {
        await bare?.start(topics);
        return () => Promise.resolve(bare?.count ?? 0);
      },
      { precise: () => bare?.samples ?? [] },
    );
    const committed = (groupId: string) => () => committedCount(kafka, groupId, topics);
    const serviceThroughput = await measureThroughput(
      'alert-service',
      events.length,
      progress,
      async () => {
        service = await startAlertService('alert-service', { schema, topicPrefix, redisPrefix });
        rss = new RssSampler(service.pid);
        rss.enter('catch-up');
        return committed(`${topicPrefix}alert-service`);
      },
      {
        cpuGroups: () => {
          if (!service) return [];
          const [app, ...stack] = stackProcessGroups('alert-service', service.pid);
          return [
            app,
            {
              name: "postgres: alert-service's sessions",
              matches: (p) => p.comm === 'postgres' && sessions.has(p.pid),
            },
            ...stack.map((g) => (g.name === 'postgres' ? { ...g, name: 'postgres: other sessions' } : g)),
          ];
        },
        refresh: refreshSessions,
      },
    );

    const pairThroughput = await measureThroughput(
      'alert-service, two instances',
      events.length,
      progress,
      async () => {
        pairInstances = await Promise.all([
          startAlertService('alert-service 1 of 2', pair),
          startAlertService('alert-service 2 of 2', pair),
        ]);
        return () => committedCount(kafka, `${pair.topicPrefix}alert-service`, pairTopics);
      },
      {
        // Each instance apart, and what they share: the machine's cores are what two instances divide.
        cpuGroups: () => [
          ...pairInstances.map((instance, i): ProcessGroup => ({
            name: `alert-service ${i + 1} of 2`,
            matches: (p) => p.pid === instance.pid,
          })),
          ...STACK_PROCESS_GROUPS,
        ],
      },
    );
    await Promise.all(pairInstances.splice(0).map((instance) => instance.stop()));

    // Latency at each fixed rate, both consumers reading the same stream at the same time.
    const latencies: LatencyResult[] = [];
    bare.tracking = true;
    let round = 0;
    // Every event on the topics so far: each round waits for the consumers to have read them all.
    let total = events.length;
    for (const rate of options.rates) {
      round += 1;
      rss?.enter(`${rate} events/s`);
      const serviceCpu = () => (service ? cpuSecondsOf(service.pid) : 0);
      const cpuBefore = serviceCpu();
      const publishStarted = Date.now();
      const { published, sent, achievedRate } = await publishAtRate(
        sink,
        rate,
        options.durationSeconds,
        () => nextLiveEvent(stream, accounts, round),
        progress,
      );
      const expected = sent.size;
      const drainStarted = Date.now();
      total += published;
      await waitUntil(
        async () => (await committedCount(kafka, `${topicPrefix}alert-service`, topics)) >= total,
        30 * 60_000,
      );
      await waitUntil(async () => (bare?.count ?? 0) >= total, 60_000);
      const drainSeconds = (Date.now() - drainStarted) / 1000;
      const cpuSeconds = serviceCpu() - cpuBefore;
      const cpu = {
        cores: cpuSeconds / ((Date.now() - publishStarted) / 1000),
        microsPerEvent: (1e6 * cpuSeconds) / published,
      };
      const rows = await db.query<{ id: string; at: Date }>(
        `SELECT e.id, a.raised_at AS at FROM "${schema}".alert a, unnest(a.source_event_ids) AS e(id) WHERE e.id = ANY($1)`,
        [[...sent.keys()]],
      );
      const serviceMs = rows.rows.map((r) => r.at.getTime() - (sent.get(r.id) ?? 0));
      const bareMs = [...sent].flatMap(([id, at]) => {
        const received = bare?.receivedAt.get(id);
        return received === undefined ? [] : [received - at];
      });
      latencies.push(
        latencyOf('bare kafkajs consumer', rate, achievedRate, published, expected, bareMs, drainSeconds),
        {
          ...latencyOf('alert-service', rate, achievedRate, published, expected, serviceMs, drainSeconds),
          cpu,
        },
      );
      progress.log(
        `@ ${rate}/s: alert-service ${serviceMs.length}/${expected} alerts, queue drained ${drainSeconds.toFixed(1)} s after the last publish`,
      );
    }
    await sink.close();
    rss?.stop();

    const throughput = [bareThroughput, serviceThroughput, pairThroughput];
    const table = renderTables(throughput, latencies, rss?.peaks ?? new Map());
    console.log(table);
    if (options.write) {
      await writeAlertsReport({
        table,
        latencies,
        throughput,
        machine,
        startedAt,
        seconds: (Date.now() - startedAt.getTime()) / 1000,
        options,
        publishSeconds,
        eventsPublished: events.length,
        accounts: accounts.length,
        rssPeaks: rss?.peaks ?? new Map(),
      });
      progress.log(`wrote ${join(REPORT_DIR, 'alerts.md')} and alerts.svg`);
    }
    progress.done();
  } finally {
    await bare?.stop();
    await service?.stop();
    await Promise.all(pairInstances.map((instance) => instance.stop()));
    for (const { schema: name, redisPrefix: prefix, topicPrefix: topics } of [
      { schema, redisPrefix, topicPrefix },
      pair,
    ]) {
      await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
      await wipeRedisPrefix(prefix);
      await deleteTopicsWithPrefix(kafka, topics);
    }
    await db.end();
  }
}

/**
 * An alert-service process on its own schema, topics (and so consumer group) and Redis prefix; a second
 * one started on the same joins the first's consumer group, as a deployment's instances do.
 */
function startAlertService(
  name: string,
  where: { schema: string; topicPrefix: string; redisPrefix: string },
): Promise<RunningNodeApp> {
  return startNodeApp({
    name,
    entry: 'apps/alert-service/src/main.ts',
    env: {
      ...SECRETS,
      LOG_LEVEL: 'warn',
      DATABASE_URL: testStack.databaseUrl,
      REDIS_URL: testStack.redisUrl,
      KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
      DATABASE_SCHEMA: where.schema,
      KAFKA_TOPIC_PREFIX: where.topicPrefix,
      REDIS_KEY_PREFIX: where.redisPrefix,
      // As deployed (docker-compose.yml, deploy/local/up.sh): the old generation bounded, so a catch-up's
      // garbage is collected before it doubles the service's memory.
      NODE_OPTIONS: DEPLOYED_NODE_OPTIONS,
    },
  });
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      rates: { type: 'string', default: '2000' },
      duration: { type: 'string', default: '20' },
      seed: { type: 'string', default: '42' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const options = {
    events: Number(values.events),
    rates: values.rates.split(',').map(Number),
    durationSeconds: Number(values.duration),
    seed: Number(values.seed),
    write: !values['no-write'],
  };
  if (!Number.isInteger(options.events) || options.events < 1_000) throw new Error('--events: at least 1000');
  if (options.rates.some((r) => !(r > 0))) throw new Error('--rates: positive events/s, comma-separated');
  if (!(options.durationSeconds > 0)) throw new Error('--duration: positive seconds');
  return options;
}

interface Account {
  template: SimEvent & { data: TransactionPostedPayload };
}

/** The population's events (every kind, in stream order) and the credits to clone for live large inflows. */
function generate(options: Options): {
  events: SimEvent[];
  accounts: Account[];
  stream: Generator<SimEvent>;
} {
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - 60 * DAY_MS;
  const population = populationEvents({
    seed: options.seed,
    customers: Math.max(100, Math.round(options.events / 50)),
    start,
  });
  const events: SimEvent[] = [];
  const byAccount = new Map<string, Account>();
  const take = (event: SimEvent) => {
    events.push(event);
    if (event.type !== EventTypes.TransactionPosted) return;
    const data = event.data as TransactionPostedPayload;
    if (data.creditDebitIndicator === CreditDebitIndicator.Credit && !byAccount.has(data.accountId))
      byAccount.set(data.accountId, { template: event as Account['template'] });
  };
  for (const event of population.initialLoad) if (events.length < options.events) take(event);
  // next(), not for-of: breaking out of for-of would close the generator the live phase continues.
  while (events.length < options.events) {
    const next = population.stream.next();
    if (next.done) break;
    take(next.value);
  }
  return { events, accounts: [...byAccount.values()], stream: population.stream };
}

let liveSequence = 0;

/**
 * The next live event: the population's activity continued, and every tenth a credit above the single
 * large-inflow threshold to an account and booking day not used before (so exactly one alert each).
 */
function nextLiveEvent(
  stream: Generator<SimEvent>,
  accounts: Account[],
  round: number,
): { event: SimEvent; alerting: boolean } {
  liveSequence += 1;
  if (liveSequence % ALERT_EVERY !== 0) {
    const next = stream.next();
    if (!next.done) return { event: next.value, alerting: false };
  }
  const index = Math.floor(liveSequence / ALERT_EVERY);
  const account = accounts[index % accounts.length];
  // A new booking day each time an account comes round again, in the past so no reminder is moved.
  const day = Math.floor(Date.now() / DAY_MS) - 1 - round * 1_000 - Math.floor(index / accounts.length);
  const bookedAt = new Date(day * DAY_MS + 3_600_000).toISOString();
  const id = uuidOf(`bench-live|${round}|${liveSequence}|${randomBytes(4).toString('hex')}`);
  const { template } = account;
  const event: SimEvent = {
    ...template,
    id,
    time: bookedAt,
    data: {
      ...template.data,
      transactionId: `BENCH-${id}`,
      amount: { amount: LARGE_CREDIT, currency: template.data.amount.currency },
      bookingDate: bookedAt,
      valueDate: bookedAt.slice(0, 10),
    },
  };
  return { event, alerting: true };
}

const uuidOf = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Publishes at `rate` events/s in ten slices a second; the publish time of each alerting event is when its slice was sent. */
async function publishAtRate(
  sink: KafkaEventSink,
  rate: number,
  durationSeconds: number,
  next: () => { event: SimEvent; alerting: boolean },
  progress: Progress,
): Promise<{ published: number; sent: Map<string, number>; achievedRate: number }> {
  const sent = new Map<string, number>();
  const perSlice = rate / SLICES_PER_SECOND;
  const slices = Math.round(durationSeconds * SLICES_PER_SECOND);
  let published = 0;
  const started = Date.now();
  await progress.step(`publishing @ ${rate} events/s`, durationSeconds, async (onProgress) => {
    for (let slice = 0; slice < slices; slice += 1) {
      const due = started + (slice * 1000) / SLICES_PER_SECOND;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const count = Math.round(perSlice * (slice + 1)) - Math.round(perSlice * slice);
      const batch = Array.from({ length: count }, next);
      const at = Date.now();
      await sink.publish(batch.map((b) => b.event));
      for (const b of batch) if (b.alerting) sent.set(b.event.id, at);
      published += count;
      onProgress(published, (Date.now() - started) / 1000);
    }
  });
  return { published, sent, achievedRate: published / ((Date.now() - started) / 1000) };
}

/**
 * Starts a consumer, samples how many events it has consumed, and takes the 10 %-90 % slope; with `cpuGroups`,
 * also the CPU each group of processes used over that span, to show what the rate is bound by.
 */
/** A consumer group that reads and does nothing, except note when each event arrived. */
class BareConsumer {
  count = 0;
  /** (time, consumed so far) after each batch of the throughput phase: finer than polling. */
  readonly samples: { at: number; count: number }[] = [];
  readonly receivedAt = new Map<string, number>();
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, groupId: string) {
    this.consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  }

  async start(topics: string[]): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        this.count += batch.messages.length;
        if (!this.tracking) this.samples.push({ at: now, count: this.count });
        // Only the latency phase notes arrival times; reading a header is then all the work there is.
        if (!this.tracking) return;
        for (const message of batch.messages) {
          const id = message.headers?.[EventHeaders.Id]?.toString();
          if (id) this.receivedAt.set(id, now);
        }
      },
    });
  }

  /** Off while measuring throughput, so the ceiling does nothing at all. */
  tracking = false;

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the consumers to drain');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function wipeRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testStack.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function latencyOf(
  target: string,
  rate: number,
  achievedRate: number,
  published: number,
  expected: number,
  ms: number[],
  drainSeconds: number,
): LatencyResult {
  const [p50, p95, p99, max] = percentiles(ms, [50, 95, 99, 100]);
  return {
    target,
    rate,
    achievedRate,
    published,
    samples: ms.length,
    expected,
    p50,
    p95,
    p99,
    max,
    drainSeconds,
  };
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

const MB = 1_000_000;

function renderTables(
  throughput: ThroughputResult[],
  latencies: LatencyResult[],
  rssPeaks: ReadonlyMap<string, number>,
): string {
  const ceiling = throughput[0].sustainedPerSecond;
  return [
    '### Throughput',
    '',
    '| consumer | events | seconds | sustained events/s | share of ceiling |',
    '| --- | --: | --: | --: | --: |',
    ...throughput.map(
      (t) =>
        `| ${t.target} | ${t.events} | ${fixed(t.seconds)} | ${fixed(t.sustainedPerSecond, 0)} | ${fixed((100 * t.sustainedPerSecond) / ceiling, 1)} % |`,
    ),
    '',
    '### Latency, publish to alert stored (service) or to receipt (bare consumer)',
    '',
    '| consumer | rate events/s | achieved events/s | alerts measured | p50 ms | p95 ms | p99 ms | max ms | cores busy | CPU µs per event |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...latencies.map(
      (l) =>
        `| ${l.target} | ${l.rate} | ${fixed(l.achievedRate, 0)} | ${l.samples}/${l.expected} | ${fixed(l.p50)} | ${fixed(l.p95)} | ${fixed(l.p99)} | ${fixed(l.max)} | ${l.cpu ? fixed(l.cpu.cores, 2) : '-'} | ${l.cpu ? fixed(l.cpu.microsPerEvent, 0) : '-'} |`,
    ),
    '',
    ...throughput.flatMap((t) =>
      t.coresBusy
        ? [
            `### What bounds the ${t.target}'s throughput: CPU cores busy over the same 10 %-90 % span`,
            '',
            `| processes | cores busy (of ${cpus().length}) | CPU µs per event |`,
            '| --- | --: | --: |',
            ...Object.entries(t.coresBusy).map(([name, cores]) =>
              // Less than nothing when processes of the group ended during the span (their CPU goes with them).
              cores < 0
                ? `| ${name} | - (some ended during the span) | - |`
                : `| ${name} | ${fixed(cores, 2)} | ${fixed((1e6 * cores) / t.sustainedPerSecond, 0)} |`,
            ),
            '',
            // On a machine shared with other work, a process gets its share of the cores, not what it asks
            // for: CPU per event is what the service's own code decides, the rate is that share divided by it.
            `A process's CPU per event is its own cost; its rate is the CPU it gets divided by that cost, and ` +
              `at a load average of ${fixed(t.loadAverage ?? 0, 1)} on ${cpus().length} cores (during this span) the ` +
              `processes here got ${fixed(
                Object.values(t.coresBusy).reduce((a, b) => a + Math.max(0, b), 0),
                2,
              )} ` +
              `cores between them.`,
            '',
          ]
        : [],
    ),
    '### alert-service memory: peak RSS by phase',
    '',
    '| phase | peak RSS MB |',
    '| --- | --: |',
    ...[...rssPeaks].map(([phase, bytes]) => `| ${phase} | ${fixed(bytes / MB, 0)} |`),
    '',
  ].join('\n');
}

async function writeAlertsReport(input: {
  table: string;
  latencies: LatencyResult[];
  throughput: ThroughputResult[];
  machine: ReturnType<typeof describeMachine>;
  startedAt: Date;
  seconds: number;
  options: Options;
  publishSeconds: number;
  eventsPublished: number;
  accounts: number;
  rssPeaks: ReadonlyMap<string, number>;
}): Promise<void> {
  const { machine, options } = input;
  const point = (v: number): Spread => ({ median: v, min: v, max: v });
  const svg = latencyChartSvg(
    'alerts: publish to alert stored, by rate',
    input.latencies.map((l) => ({
      target: l.target,
      rate: l.rate,
      p50: point(l.p50),
      p95: point(l.p95),
      p99: point(l.p99),
    })),
    { percentiles: ['p50', 'p95', 'p99'], rateUnit: 'events/s' },
  );
  await writeFile(join(REPORT_DIR, 'alerts.svg'), svg);
  const [bare, service, pair] = input.throughput;
  const peakRss = Math.max(0, ...input.rssPeaks.values());
  const atTarget = input.latencies.filter((l) => l.target === 'alert-service');
  const raw = [
    '# Benchmark: alerts',
    '',
    `Generated by bench/alerts on ${input.startedAt.toISOString()}; do not edit by hand, run the command below again.`,
    '',
    'The alert service (a child process, `node -r ./tools/register.js apps/alert-service/src/main.ts` with ' +
      `\`NODE_OPTIONS=${DEPLOYED_NODE_OPTIONS}\` as deployed, its own schema, ` +
      'topics and Redis prefix) against a bare kafkajs consumer group reading the same topics and doing nothing: the ceiling.',
    '',
    '## Targets (from the issue)',
    '',
    `- Catch-up throughput at least ${fixed(TARGET_EVENTS_PER_SECOND, 0)} events/s on one instance: ` +
      `**${fixed(service.sustainedPerSecond, 0)} events/s**, ${fixed((100 * service.sustainedPerSecond) / bare.sustainedPerSecond, 1)} % ` +
      `of the bare consumer's ${fixed(bare.sustainedPerSecond, 0)} in the same run: ` +
      `**${service.sustainedPerSecond >= TARGET_EVENTS_PER_SECOND ? 'met' : 'not met'}**.`,
    ...atTarget.map(
      (l) =>
        `- p99 at most 100 ms at ${l.rate} events/s: **${fixed(l.p99)} ms**: **${l.p99 <= 100 ? 'met' : 'not met'}**` +
        (l.achievedRate > service.sustainedPerSecond
          ? ` (the rate is above the service's sustained throughput, so the latency is mostly queueing).`
          : '.'),
    ),
    `- Two instances on the same topics together beat one: **${fixed(pair.sustainedPerSecond, 0)} events/s**, ` +
      `${fixed(pair.sustainedPerSecond / service.sustainedPerSecond, 2)}× one instance in the same run: ` +
      `**${pair.sustainedPerSecond > service.sustainedPerSecond ? 'met' : 'not met'}**.`,
    `- alert-service under ${fixed(TARGET_RSS_BYTES / MB, 0)} MB RSS throughout: peak **${fixed(peakRss / MB, 0)} MB**: ` +
      `**${peakRss < TARGET_RSS_BYTES ? 'met' : 'not met'}**.`,
    '',
    '## Results',
    '',
    '![latency percentiles by consumer and rate](alerts.svg)',
    '',
    input.table,
    '## How it is measured',
    '',
    `- **Throughput**: ${input.eventsPublished} events of the seeded bank (seed ${options.seed}: its initial load, then its ` +
      'activity: transactions, card spend and statements, repayments, maturities, overdue loans and cards, closures) are ' +
      `published first (${fixed(input.publishSeconds)} s), then each consumer in turn reads them all from the beginning, ` +
      'alone on the machine. Sustained events/s is the slope from 10 % to 90 % consumed (the service: offsets committed ' +
      'by its group, which it commits every 500 ms; the bare consumer: messages received), so start-up and ' +
      'group join are left out; seconds is the whole time from start. Two instances (two processes started together, ' +
      'one consumer group) then read a copy of the same events into a schema of their own: the same work, shared by ' +
      'partition.',
    `- **Latency**: for ${options.durationSeconds} s per rate, events are published in ${SLICES_PER_SECOND} slices a second: ` +
      `the bank's activity continued, and one in ${ALERT_EVERY} a credit of ${LARGE_CREDIT} (above the single large-inflow ` +
      `threshold) to one of ${input.accounts} accounts on a booking day not used before, so each raises exactly one alert. ` +
      'Both consumers run at the same time. Latency is from just before the slice is sent (so it includes the ' +
      "producer's acks=all round trip) to `alert.raised_at` (Postgres clock_timestamp(), same host clock) for the service, " +
      "and to receipt for the bare consumer. The service's cores busy and CPU per event are its own CPU (from /proc) from " +
      'the first publish of the rate until it has consumed everything, over that time and over the events published: ' +
      'what it costs to keep up at that rate, its fixed work (timers, polls, small transactions) included.',
    '- The benchmark process (publisher, bare consumer) shares the 2 cores with the service, Postgres, Redis and Kafka, ' +
      'and with whatever else runs on the machine: the load average says how much that was. CPU per process is read ' +
      "from /proc; Postgres is split into the backends of the service's own sessions (by application_name) and the rest.",
    "- **Memory**: the service's resident set size, sampled every 200 ms, its peak per phase (catch-up, then each rate).",
    '',
    ...runSection(
      machine,
      input.startedAt,
      'Postgres, Redis and a single Kafka broker run locally on the same machine.',
      `Took ${Math.round(input.seconds)} s.`,
    ),
    '',
  ].join('\n');
  const path = join(REPORT_DIR, 'alerts.md');
  await writeFile(path, await format(raw, { ...(await resolveConfig(path)), parser: 'markdown' }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
