import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { format, resolveConfig } from 'prettier';
import { bankEvents, KafkaEventSink, type SimEvent } from '@crm/corebank-simulation';
import { databaseUrlNamed, deleteTopicsWithPrefix, serviceTestEnv, testKafka, testStack } from '@crm/testing';
import {
  committedCount,
  describeMachine,
  listTopics,
  runSection,
  measureThroughput,
  median,
  Progress,
  progressChartSvg,
  publishedCount,
  REPORT_DIR,
  RssSampler,
  type RunningNodeApp,
  startNodeApp,
  DEPLOYED_NODE_OPTIONS,
  subscribedTopics,
  type ThroughputResult,
} from '../lib';

/**
 * bench/consumers: how fast the projecting services (customer-, assignment- and analytics-service) catch up
 * on a backlog of the seeded bank's stream, at each KAFKA_EVENTS_PER_TRANSACTION side by side:
 *   node -r ./tools/register.js bench/consumers/catch-up.bench.ts [--services customer,assignment,analytics]
 *     [--events 20000] [--per-transaction 1,1000] [--rounds 2] [--write]
 * Each run is one service process alone on a fresh copy of the stream (its own topics, schema and consumer
 * group); the rounds interleave the settings so that the machine's drift touches each alike, and the median
 * of the rounds is compared.
 */

const SERVICES = {
  customer: 'apps/customer-service/src/main.ts',
  assignment: 'apps/assignment-service/src/main.ts',
  analytics: 'apps/analytics-service/src/main.ts',
} as const;
type ServiceName = keyof typeof SERVICES;

interface Options {
  services: ServiceName[];
  events: number;
  perTransaction: number[];
  rounds: number;
  seed: number;
  write: boolean;
}

interface Run {
  service: ServiceName;
  perTransaction: number;
  round: number;
  result: ThroughputResult;
  rssPeakBytes: number;
}

const MB = 1_000_000;

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = describeMachine();
  const startedAt = new Date();
  const runs = options.services.length * options.perTransaction.length * options.rounds;
  const progress = new Progress(runs * (options.events / 300 + 20));
  progress.log(`generating ${options.events} events (seed ${options.seed})`);
  const events = bankEvents({ size: options.events, seed: options.seed });
  const results: Run[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    // Settings in turn, reversed every other round: neither always runs first on a machine warming up.
    const settings = round % 2 === 1 ? options.perTransaction : [...options.perTransaction].reverse();
    for (const service of options.services)
      for (const perTransaction of settings) {
        progress.log(
          `round ${round}/${options.rounds}: ${service}-service, ${perTransaction} per transaction`,
        );
        results.push({
          service,
          perTransaction,
          round,
          ...(await catchUp(service, perTransaction, events, progress)),
        });
      }
  }
  const table = renderTable(results, options);
  console.log(table);
  if (options.write) {
    await writeReport(results, table, options, machine, startedAt);
    progress.log(`wrote ${join(REPORT_DIR, 'consumer-catch-up.md')} and consumer-catch-up.svg`);
  }
  progress.done();
}

/** One service process reading the whole backlog, from its start to its last offset committed. */
async function catchUp(
  service: ServiceName,
  perTransaction: number,
  events: SimEvent[],
  progress: Progress,
): Promise<{ result: ThroughputResult; rssPeakBytes: number }> {
  const suffix = randomBytes(4).toString('hex');
  const names = {
    schema: `bench_catchup_${service}_${suffix}`,
    topicPrefix: `test.bench-catchup-${service}-${suffix}.`,
    redisPrefix: `test:bench-catchup-${service}-${suffix}:`,
  };
  const kafka = testKafka(`bench-catch-up-${suffix}`);
  const db = new Client({ connectionString: testStack.databaseUrl, application_name: 'bench-catch-up' });
  await db.connect();
  let app: RunningNodeApp | undefined;
  let rss: RssSampler | undefined;
  try {
    const sink = new KafkaEventSink({
      brokers: testStack.kafkaBrokers,
      topicPrefix: names.topicPrefix,
      clientId: 'bench-catch-up',
    });
    for (let at = 0; at < events.length; at += 5_000) await sink.publish(events.slice(at, at + 5_000));
    await sink.close();
    const published = await listTopics(kafka, names.topicPrefix);
    const target = `${service}-service ×${perTransaction}`;
    const groupId = `${names.topicPrefix}${service}-service`;
    let topics: string[] = [];
    let backlog = 0;
    // The Postgres backends serving this process (a backend that exits takes its CPU time with it, so all of
    // Postgres is not summed: other clients' sessions come and go).
    const sessions = new Set<number>();
    const result = await measureThroughput(
      target,
      () => backlog,
      progress,
      async () => {
        app = await startNodeApp({
          name: target,
          entry: SERVICES[service],
          env: {
            ...serviceTestEnv(names),
            DATABASE_URL: databaseUrlNamed(names.schema),
            LOG_LEVEL: 'warn',
            KAFKA_EVENTS_PER_TRANSACTION: String(perTransaction),
            NODE_OPTIONS: DEPLOYED_NODE_OPTIONS,
          },
        });
        rss = new RssSampler(app.pid);
        // Its backlog: the stream's events on the topics it reads (it skips the others, and reads its own).
        topics = (await subscribedTopics(kafka, groupId)).filter((t) => published.includes(t));
        backlog = await publishedCount(kafka, topics);
        return () => committedCount(kafka, groupId, topics);
      },
      {
        cpuGroups: () => [
          { name: `${service}-service`, matches: (p) => p.pid === app?.pid },
          { name: 'postgres', matches: (p) => p.comm === 'postgres' && sessions.has(p.pid) },
        ],
        refresh: async () => {
          const { rows } = await db.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1`,
            [`${names.schema}%`],
          );
          rows.forEach((r) => sessions.add(r.pid));
        },
      },
    );
    rss?.stop();
    return { result, rssPeakBytes: Math.max(0, ...(rss?.peaks.values() ?? [])) };
  } finally {
    await app?.stop();
    await db.query(`DROP SCHEMA IF EXISTS "${names.schema}" CASCADE`).catch(() => undefined);
    await db.end();
    await deleteTopicsWithPrefix(kafka, names.topicPrefix);
  }
}

const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Per service and setting: each round's sustained rate, their median, and the ratio to the first setting's median. */
function renderTable(runs: Run[], options: Options): string {
  const lines = [
    '| service | events per transaction | backlog | events/s per round | median events/s | × the first setting | service cores | postgres cores | peak RSS MB |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const service of options.services) {
    const baseline = median(rates(runs, service, options.perTransaction[0]));
    for (const perTransaction of options.perTransaction) {
      const own = runs.filter((r) => r.service === service && r.perTransaction === perTransaction);
      const perRound = own.map((r) => r.result.sustainedPerSecond);
      const cores = (group: string) => median(own.map((r) => r.result.coresBusy?.[group] ?? Number.NaN));
      lines.push(
        `| ${service}-service | ${perTransaction} | ${own[0].result.events} | ${perRound.map((v) => fixed(v)).join(', ')} | ${fixed(median(perRound))} ` +
          `| ${fixed(median(perRound) / baseline, 2)} | ${fixed(cores(`${service}-service`), 2)} | ${fixed(cores('postgres'), 2)} ` +
          `| ${fixed(Math.max(...own.map((r) => r.rssPeakBytes)) / MB)} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

const rates = (runs: Run[], service: ServiceName, perTransaction: number): number[] =>
  runs
    .filter((r) => r.service === service && r.perTransaction === perTransaction)
    .map((r) => r.result.sustainedPerSecond);

async function writeReport(
  runs: Run[],
  table: string,
  options: Options,
  machine: ReturnType<typeof describeMachine>,
  startedAt: Date,
): Promise<void> {
  // The first round's curves: one line per service and setting, the steeper the faster.
  const svg = progressChartSvg(
    'Catch-up on a backlog, by events per transaction',
    runs
      .filter((r) => r.round === 1)
      .map((r) => ({ name: `${r.service} ×${r.perTransaction}`, points: r.result.curve })),
    'events applied (offsets committed)',
  );
  await writeFile(join(REPORT_DIR, 'consumer-catch-up.svg'), svg);
  const raw = [
    '# Benchmark: consumer catch-up',
    '',
    `Generated by bench/consumers on ${startedAt.toISOString()}; do not edit by hand, run the command below again.`,
    '',
    `${options.events} events of the seeded bank (seed ${options.seed}: its initial load, then its activity) wait on ` +
      'topics of their own; each projecting service reads its backlog (those on the topics it subscribes to), alone, ' +
      'into a fresh schema, at each ' +
      '`KAFKA_EVENTS_PER_TRANSACTION` in turn: how many consecutive events of a lane libs/messaging applies in one ' +
      'database transaction (1: a transaction, and so a commit, per event).',
    '',
    '## Results',
    '',
    '![events applied over time, per service and setting](consumer-catch-up.svg)',
    '',
    table,
    '## How it is measured',
    '',
    "- Events/s is the slope from 10 % to 90 % of the backlog committed by the service's consumer group (it commits " +
      'what it has applied every 500 ms), so start-up and group join are left out.',
    `- ${options.rounds} rounds; in each, every service runs at every setting, the order of the settings reversed every ` +
      'other round. The median of the rounds is compared: the machine is shared and noisy, ratios in one run are what count.',
    "- Cores: CPU seconds per second over the same span, read from /proc, for the service process and for the Postgres backends of the service's own connections.",
    `- Peak RSS: the service process, sampled every 200 ms; it runs with \`NODE_OPTIONS=${DEPLOYED_NODE_OPTIONS}\`, as deployed.`,
    '',
    ...runSection(
      machine,
      startedAt,
      'Postgres, Redis and a single Kafka broker run locally on the same machine.',
    ),
    '',
  ].join('\n');
  const path = join(REPORT_DIR, 'consumer-catch-up.md');
  await writeFile(path, await format(raw, { ...(await resolveConfig(path)), parser: 'markdown' }));
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: Object.keys(SERVICES).join(',') },
      events: { type: 'string', default: '20000' },
      'per-transaction': { type: 'string', default: '1,1000' },
      rounds: { type: 'string', default: '2' },
      seed: { type: 'string', default: '42' },
      write: { type: 'boolean', default: false },
    },
  });
  const services = values.services.split(',') as ServiceName[];
  const unknown = services.filter((s) => !(s in SERVICES));
  if (unknown.length > 0)
    throw new Error(`--services takes ${Object.keys(SERVICES).join(', ')}, not ${unknown.join(', ')}`);
  const positive = (name: string, raw: string, max = Number.MAX_SAFE_INTEGER): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new Error(`--${name} takes whole numbers from 1 to ${max}, not "${raw}"`);
    return value;
  };
  return {
    services,
    events: positive('events', values.events),
    perTransaction: values['per-transaction'].split(',').map((v) => positive('per-transaction', v, 1000)),
    rounds: positive('rounds', values.rounds),
    seed: positive('seed', values.seed),
    write: values.write,
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
