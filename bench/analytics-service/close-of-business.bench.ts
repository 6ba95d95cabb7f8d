import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { format, resolveConfig } from 'prettier';
import { Role, signDevToken } from '@crm/security';
import {
  CountProgress,
  ProcessGroup,
  ProgressSeries,
  REPORT_DIR,
  RunningNodeApp,
  cpuSecondsByGroup,
  describeMachine,
  runSection,
  progressChartSvg,
  startNodeApp,
  DEPLOYED_NODE_OPTIONS,
} from '../lib';
import { addDays } from '@crm/calendar';
import { AccountKind, TransactionChannel } from '@crm/contracts';
import {
  ANALYTICS_BENCH_DATABASE_URL,
  ANALYTICS_BENCH_REDIS_URL,
  ANALYTICS_BENCH_SCHEMA,
  BENCH_CUSTOMERS,
  BENCH_TRANSACTIONS,
  analyticsServiceEnv,
  loadAnalyticsBank,
  migrateAnalyticsBenchSchema,
} from './analytics-bank.loader';
import { HEAD_OFFICE } from './analytics-bank.shape';

/**
 * analytics-service's close of business over the benchmark bank (1 000 000 customers, 20 000 000 transactions),
 * in one run: a single hand-written SQL statement computing the same value tiers and RFM scores (the ceiling,
 * checked to agree with the service customer by customer), the service's run on one instance, and the same run
 * shared by two instances. Reports the durations, their ratios, the phases, peak RSS and CPU per process to
 * docs/benchmarks/analytics-close-of-business.md (.svg).
 *
 *   node -r ./tools/register.js bench/analytics-service/close-of-business.bench.ts [--shards N] [--concurrency N]
 *     [--customers N --transactions M --schema S]   (a small bank for a quick check; the report is then not the issue's figure)
 */
const DATABASE_URL = ANALYTICS_BENCH_DATABASE_URL;
const REDIS_URL = ANALYTICS_BENCH_REDIS_URL;
const REDIS_PREFIX = 'bench:analytics-cob:';
const REPORT_NAME = 'analytics-close-of-business';
const SCRATCH_TABLE = 'cob_ceiling';
/** The issue's targets. */
const TARGET_RATIO_TO_CEILING = 2;
const TARGET_SECONDS = 300;
const TARGET_RSS_MIB = 300;
const JWT = {
  JWT_SECRET: randomBytes(24).toString('hex'),
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function schemaOption(): string {
  const at = process.argv.indexOf('--schema');
  const schema = at < 0 ? ANALYTICS_BENCH_SCHEMA : (process.argv[at + 1] ?? '');
  if (!/^[a-z][a-z0-9_]*$/.test(schema)) throw new Error('--schema must be lower-case letters, digits and _');
  return schema;
}

/** Everything a run writes, so that each run starts from the same state: a first close of business. */
const OUTPUT_TABLES = [
  'cob_run_shard',
  'cob_run',
  'customer_indicator',
  'customer_profile',
  'value_tier_change',
  'outbox',
] as const;

async function clearOutput(db: Client, schema: string): Promise<void> {
  await db.query(`TRUNCATE ${OUTPUT_TABLES.map((t) => `"${schema}".${t}`).join(', ')} CASCADE`);
  // Autovacuum may be off: the planner must not see the previous run's statistics.
  for (const table of OUTPUT_TABLES) await db.query(`ANALYZE "${schema}".${table}`);
}

/** The close-of-business queue and every job of earlier runs under the bench's Redis prefix. */
async function wipeQueue(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The service's defaults, stated here rather than imported (a bench imports no app's code): the ceiling is
 * a second, independent statement of the rules, and the agreement check below catches any drift.
 */
const REPORTING_CURRENCY = 'CNY';
const ASSET_KINDS = [
  AccountKind.Current,
  AccountKind.Savings,
  AccountKind.TimeDeposit,
  AccountKind.WealthProduct,
];
const CUSTOMER_CHANNELS = [
  TransactionChannel.Counter,
  TransactionChannel.Mobile,
  TransactionChannel.Atm,
  TransactionChannel.Pos,
  TransactionChannel.Online,
];
const VALUE_TIER_THRESHOLDS = { top: '1000000.00', important: '300000.00', core: '50000.00' };

/**
 * The ceiling: one statement, value tier and RFM scores of every customer of the date, the service's rules
 * (README "Profiles") written by hand for this one purpose. Month-to-date daily-average AUM carries each
 * asset account's balance forward from its last stated day before the month (an index probe per account)
 * over the month's stated days; RFM scores 1 + ⌊5w/n⌋ with w the customers strictly worse (rank − 1) among
 * those with a customer-initiated transaction up to the date.
 */
export function ceilingSql(schema: string, businessDate: string): string {
  const s = `"${schema}"`;
  const w = {
    monthStart: `${businessDate.slice(0, 7)}-01`,
    daysMtd: Number(businessDate.slice(8, 10)),
    last90From: addDays(businessDate, -89),
  };
  const date = `'${businessDate}'::date`;
  const monthStart = `'${w.monthStart}'::date`;
  const t = VALUE_TIER_THRESHOLDS;
  const average = `round(coalesce(b.day_sum, 0)::numeric(48,20) / ${w.daysMtd}, 2)`;
  const score = (column: string, worseFirst: 'ASC' | 'DESC') =>
    `(1 + 5 * (rank() OVER (ORDER BY ${column} ${worseFirst}) - 1) / count(*) OVER ())::smallint`;
  return `CREATE TABLE ${s}.${SCRATCH_TABLE} AS
    WITH population AS (
      SELECT customer_id FROM ${s}.customer WHERE registered_on IS NULL OR registered_on <= ${date}
    ),
    held AS (
      SELECT customer_id, count(*) AS n FROM ${s}.account
       WHERE kind IN (${list(ASSET_KINDS)}) AND currency = '${REPORTING_CURRENCY}' AND opened_on <= ${date}
         AND (closed_on IS NULL OR closed_on > ${date})
       GROUP BY customer_id
    ),
    balances AS (
      SELECT a.customer_id,
             sum(r.balance * greatest(0, least(coalesce(r.next_day - 1, ${date}), ${date})
                                         - greatest(r.business_date, ${monthStart}) + 1)) AS day_sum
        FROM ${s}.account a
        CROSS JOIN LATERAL (
          SELECT b.balance, b.business_date, lead(b.business_date) OVER (ORDER BY b.business_date) AS next_day
            FROM ${s}.daily_balance b
           WHERE b.holding_type = 'account' AND b.holding_id = a.account_id AND b.currency = '${REPORTING_CURRENCY}'
             AND b.business_date <= ${date}
             AND b.business_date >= coalesce(
                   (SELECT max(p.business_date) FROM ${s}.daily_balance p
                     WHERE p.holding_type = 'account' AND p.holding_id = a.account_id
                       AND p.currency = '${REPORTING_CURRENCY}' AND p.business_date < ${monthStart}),
                   ${monthStart})
        ) r
       WHERE a.kind IN (${list(ASSET_KINDS)})
       GROUP BY a.customer_id
    ),
    activity AS (
      SELECT f.customer_id, ${date} - max(f.business_date) AS recency,
             count(*) FILTER (WHERE f.business_date >= '${w.last90From}'::date) AS frequency,
             coalesce(sum(f.amount) FILTER (WHERE f.business_date >= '${w.last90From}'::date
                                              AND f.currency = '${REPORTING_CURRENCY}'), 0) AS monetary
        FROM ${s}.transaction_fact f
       WHERE f.business_date <= ${date} AND f.channel IN (${list(CUSTOMER_CHANNELS)})
       GROUP BY f.customer_id
    ),
    scored AS (
      SELECT a.customer_id, ${score('a.recency', 'DESC')} AS rfm_recency,
             ${score('a.frequency', 'ASC')} AS rfm_frequency, ${score('a.monetary', 'ASC')} AS rfm_monetary
        FROM activity a JOIN population p ON p.customer_id = a.customer_id
    )
    SELECT p.customer_id,
           CASE WHEN coalesce(h.n, 0) = 0 AND ${average} = 0 THEN NULL
                WHEN ${average} >= ${t.top} THEN 'top'
                WHEN ${average} >= ${t.important} THEN 'important'
                WHEN ${average} >= ${t.core} THEN 'core'
                ELSE 'mass' END AS value_tier,
           r.rfm_recency, r.rfm_frequency, r.rfm_monetary
      FROM population p
      LEFT JOIN held h ON h.customer_id = p.customer_id
      LEFT JOIN balances b ON b.customer_id = p.customer_id
      LEFT JOIN scored r ON r.customer_id = p.customer_id`;
}

/** Customers on which the service's profiles and the ceiling disagree, per figure (all 0 for an honest ceiling). */
async function disagreements(
  db: Client,
  schema: string,
  businessDate: string,
): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE c.customer_id IS NULL OR p.customer_id IS NULL)::int AS customers,
            count(*) FILTER (WHERE c.value_tier IS DISTINCT FROM p.value_tier)::int AS value_tier,
            count(*) FILTER (WHERE c.rfm_recency IS DISTINCT FROM p.rfm_recency)::int AS rfm_recency,
            count(*) FILTER (WHERE c.rfm_frequency IS DISTINCT FROM p.rfm_frequency)::int AS rfm_frequency,
            count(*) FILTER (WHERE c.rfm_monetary IS DISTINCT FROM p.rfm_monetary)::int AS rfm_monetary
       FROM "${schema}".${SCRATCH_TABLE} c
       FULL JOIN (SELECT * FROM "${schema}".customer_profile WHERE business_date = $1::date) p
         ON p.customer_id = c.customer_id`,
    [businessDate],
  );
  return rows[0] as Record<string, number>;
}

async function runCeiling(db: Client, schema: string, businessDate: string): Promise<number> {
  await db.query(`DROP TABLE IF EXISTS "${schema}".${SCRATCH_TABLE}`);
  log('ceiling: one SQL statement for the tiers and RFM of every customer...');
  const started = Date.now();
  await db.query(ceilingSql(schema, businessDate));
  const seconds = (Date.now() - started) / 1000;
  log(`ceiling: ${seconds.toFixed(1)} s`);
  return seconds;
}

interface CobRunView {
  runId: string;
  status: string;
  phase: string;
  customers: number | null;
  changed: number | null;
  published: number;
  error: string | null;
  progress: { shards: number; indicated: number; profiled: number; published: number; customers: number };
  phaseMs: { indicators: number | null; profiles: number | null; publishing: number | null };
  shardProgress: {
    shard: number;
    indicatorsMs: number | null;
    profilesMs: number | null;
    publishingMs: number | null;
    indicatedBy: string | null;
    profiledBy: string | null;
    publishedBy: string | null;
  }[];
}

interface ProcessFigures {
  name: string;
  cpuSeconds: number;
  peakRssMiB: number;
}

interface InstanceRun {
  label: string;
  instances: number;
  seconds: number;
  startSeconds: number;
  run: CobRunView;
  series: ProgressSeries;
  processes: ProcessFigures[];
  postgresCpuSeconds: number;
}

const rssMiBOf = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(
      /^(\w+):\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(`${field}:`)) ?? '')?.[2],
    );
    return Number.isFinite(kib) ? kib / 1024 : 0;
  } catch {
    return 0;
  }
};

/** Starts `instances` service processes on the schema, runs the date's close of business to its end through the API. */
async function runService(
  db: Client,
  o: { schema: string; businessDate: string; shards: number; concurrency: number; instances: number },
): Promise<InstanceRun> {
  const label = `${o.instances} instance${o.instances > 1 ? 's' : ''}`;
  await clearOutput(db, o.schema);
  await wipeQueue();
  const env = analyticsServiceEnv({
    jwtSecret: JWT.JWT_SECRET,
    redisPrefix: REDIS_PREFIX,
    more: {
      DATABASE_SCHEMA: o.schema,
      JWT_ISSUER: JWT.JWT_ISSUER,
      JWT_AUDIENCE: JWT.JWT_AUDIENCE,
      COB_SHARDS: String(o.shards),
      COB_WORKER_CONCURRENCY: String(o.concurrency),
      // A shard of the full bank runs for minutes on two cores: its lock must outlive the longest pause.
      COB_JOB_LOCK_SECONDS: '120',
      LOG_LEVEL: 'warn',
    },
  });
  const apps: RunningNodeApp[] = [];
  try {
    const startAt = Date.now();
    for (let i = 1; i <= o.instances; i += 1)
      apps.push(
        await startNodeApp({
          name: `analytics-service #${i}`,
          entry: 'apps/analytics-service/src/main.ts',
          // As deployed (docker-compose.yml, deploy/local/up.sh).
          env: { ...env, NODE_OPTIONS: DEPLOYED_NODE_OPTIONS },
        }),
      );
    const startSeconds = (Date.now() - startAt) / 1000;
    const groups: ProcessGroup[] = [
      ...apps.map((app) => ({ name: app.name, matches: (p: { pid: number }) => p.pid === app.pid })),
      { name: 'postgres', matches: (p: { comm: string }) => p.comm === 'postgres' },
    ];
    const authorization = `Bearer ${signDevToken({ sub: 'bench-head-office', roles: [Role.HeadOfficeAdmin], inst: HEAD_OFFICE, perms: [] }, JWT, 24 * 3600)}`;
    const cpuBefore = cpuSecondsByGroup(groups);
    const peakRss = apps.map(() => 0);
    log(
      `${label}: close of business of ${o.businessDate}, ${o.shards} shards, ${o.concurrency} job(s) at once per instance...`,
    );
    const started = Date.now();
    const response = await fetch(`${apps[0].baseUrl}/api/v1/cob-runs`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ businessDate: o.businessDate, shards: o.shards }),
    });
    if (response.status !== 202)
      throw new Error(`POST /cob-runs: ${response.status} ${await response.text()}`);
    const { runId } = (await response.json()) as { runId: string };
    const jobs = 2 * o.shards;
    const progress = new CountProgress(`${label} (shard jobs)`, jobs);
    const points: [number, number][] = [[0, 0]];
    let run: CobRunView;
    for (;;) {
      await sleep(1000);
      apps.forEach((app, i) => (peakRss[i] = Math.max(peakRss[i], rssMiBOf(app.pid, 'VmRSS'))));
      const view = await fetch(`${apps[0].baseUrl}/api/v1/cob-runs/${runId}`, { headers: { authorization } });
      run = (await view.json()) as CobRunView;
      const done = run.progress.indicated + run.progress.profiled;
      points.push([(Date.now() - started) / 1000, done]);
      progress.update(done);
      if (run.status !== 'running') break;
    }
    const seconds = (Date.now() - started) / 1000;
    progress.done();
    if (run.status !== 'succeeded') throw new Error(`${label}: run ${runId} ${run.status}: ${run.error}`);
    const cpuAfter = cpuSecondsByGroup(groups);
    // VmHWM: the process's peak resident set, between the samples too (start-up included).
    const processes = apps.map((app, i) => ({
      name: app.name,
      cpuSeconds: cpuAfter[app.name] - cpuBefore[app.name],
      peakRssMiB: Math.max(peakRss[i], rssMiBOf(app.pid, 'VmHWM')),
    }));
    log(`${label}: ${seconds.toFixed(1)} s (phases ms ${JSON.stringify(run.phaseMs)})`);
    return {
      label,
      instances: o.instances,
      seconds,
      startSeconds,
      run,
      series: { name: label, points },
      processes,
      postgresCpuSeconds: cpuAfter.postgres - cpuBefore.postgres,
    };
  } finally {
    for (const app of apps) await app.stop();
  }
}

async function main(): Promise<void> {
  const shards = option('shards', 2);
  const concurrency = option('concurrency', 1);
  const customers = option('customers', BENCH_CUSTOMERS);
  const transactions = option('transactions', BENCH_TRANSACTIONS);
  const schema = schemaOption();
  const startedAt = new Date();
  const machine = describeMachine();
  await migrateAnalyticsBenchSchema(
    analyticsServiceEnv({ jwtSecret: JWT.JWT_SECRET, more: { DATABASE_SCHEMA: schema } }),
    log,
  );
  const bank = await loadAnalyticsBank({
    databaseUrl: DATABASE_URL,
    schema,
    customers,
    transactions,
    reload: false,
    log,
  });
  const db = new Client({ connectionString: DATABASE_URL, application_name: 'analytics-cob-bench' });
  await db.connect();
  try {
    await clearOutput(db, schema);
    const ceilingSeconds = await runCeiling(db, schema, bank.businessDate);
    const common = { schema, businessDate: bank.businessDate, shards, concurrency };
    const one = await runService(db, { ...common, instances: 1 });
    const agreement = await disagreements(db, schema, bank.businessDate);
    log(`ceiling vs service, customers that disagree: ${JSON.stringify(agreement)}`);
    const two = await runService(db, { ...common, instances: 2 });
    const agreementTwo = await disagreements(db, schema, bank.businessDate);
    await writeReportFiles({
      bank,
      machine,
      startedAt,
      ceilingSeconds,
      one,
      two,
      agreement,
      agreementTwo,
      shards,
      concurrency,
    });
  } finally {
    await db.query(`DROP TABLE IF EXISTS "${schema}".${SCRATCH_TABLE}`);
    await db.end();
    await wipeQueue();
  }
}

const s1 = (seconds: number) => seconds.toFixed(1);
const msText = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(1));
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

async function writeReportFiles(r: {
  bank: Awaited<ReturnType<typeof loadAnalyticsBank>>;
  machine: ReturnType<typeof describeMachine>;
  startedAt: Date;
  ceilingSeconds: number;
  one: InstanceRun;
  two: InstanceRun;
  agreement: Record<string, number>;
  agreementTwo: Record<string, number>;
  shards: number;
  concurrency: number;
}): Promise<void> {
  const { one, two } = r;
  const ratioToCeiling = one.seconds / r.ceilingSeconds;
  const ratioOneTwo = one.seconds / two.seconds;
  const peakRss = Math.max(...one.processes.concat(two.processes).map((p) => p.peakRssMiB));
  const customers = r.bank.counts.customer ?? 0;
  const transactions = r.bank.counts.transaction_fact ?? 0;
  await writeFile(
    join(REPORT_DIR, `${REPORT_NAME}.svg`),
    progressChartSvg(
      `close of business of ${customers.toLocaleString('en-US')} customers, ${r.shards} shards`,
      [one.series, two.series],
      'shard jobs done (indicators + profiles)',
    ),
  );
  const runRow = (x: InstanceRun) =>
    `| ${x.label} | ${s1(x.seconds)} | ${(x.seconds / r.ceilingSeconds).toFixed(2)}× | ${msText(x.run.phaseMs.indicators)} | ${msText(x.run.phaseMs.profiles)} | ${msText(x.run.phaseMs.publishing)} | ${x.run.published} | ${s1(x.postgresCpuSeconds)} |`;
  const processRow = (x: InstanceRun) =>
    x.processes.map((p) => `| ${x.label} | ${p.name} | ${s1(p.cpuSeconds)} | ${p.peakRssMiB.toFixed(0)} |`);
  const shardRows = (x: InstanceRun) =>
    x.run.shardProgress.map(
      (s) =>
        `| ${x.label} | ${s.shard} | ${msText(s.indicatorsMs)} | ${msText(s.profilesMs)} | ${msText(s.publishingMs)} | ${s.indicatedBy ?? ''} | ${s.profiledBy ?? ''} | ${s.publishedBy ?? ''} |`,
    );
  const lines = [
    `# Benchmark: ${REPORT_NAME}`,
    '',
    `Generated by bench/ on ${new Date().toISOString()}; do not edit by hand, run the command below again.`,
    '',
    `analytics-service's close of business of ${r.bank.businessDate} over ${customers.toLocaleString('en-US')} customers and ` +
      `${transactions.toLocaleString('en-US')} transaction facts (schema \`${r.bank.schema}\`, bench/analytics-service/analytics-bank.loader.ts), ` +
      `timed from \`POST /api/v1/cob-runs\` (${r.shards} shards, \`COB_WORKER_CONCURRENCY=${r.concurrency}\`, \`NODE_OPTIONS=${DEPLOYED_NODE_OPTIONS}\` as deployed) to the run's success, the publication of the changed profiles onto Kafka included (each shard's, acknowledged by the broker); ` +
      'each run a first close of business (its output tables emptied and analyzed before), every profile new and published. ' +
      'In the same run, the ceiling: one hand-written SQL statement computing the same value tiers (month-to-date daily-average AUM, balances carried forward) ' +
      'and RFM scores of every customer into a scratch table.',
    '',
    '| run | seconds | × ceiling | indicators s | profiles s | publishing s | published | Postgres CPU s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ceiling (one SQL statement, tiers and RFM only) | ${s1(r.ceilingSeconds)} | 1.00× | | | | | |`,
    runRow(one),
    runRow(two),
    '',
    `Two instances against one: **${ratioOneTwo.toFixed(2)}×** (one instance's seconds ÷ two instances'). ` +
      `The service's processes took ${s1(one.startSeconds)} s and ${s1(two.startSeconds)} s to start (compile, migrate), not counted.`,
    '',
    '| target | figure | verdict |',
    '| --- | ---: | --- |',
    `| one instance within ${TARGET_RATIO_TO_CEILING}× the ceiling | ${ratioToCeiling.toFixed(2)}× | ${verdict(ratioToCeiling <= TARGET_RATIO_TO_CEILING)} |`,
    `| one instance under ${TARGET_SECONDS} s | ${s1(one.seconds)} s | ${verdict(one.seconds < TARGET_SECONDS)} |`,
    `| two instances faster than one | ${ratioOneTwo.toFixed(2)}× | ${verdict(two.seconds < one.seconds)} |`,
    `| peak RSS of a service process under ${TARGET_RSS_MIB} MB | ${peakRss.toFixed(0)} MiB | ${verdict(peakRss < TARGET_RSS_MIB)} |`,
    '',
    `![shard jobs done over time](${REPORT_NAME}.svg)`,
    '',
    '## Agreement with the ceiling',
    '',
    "Customers on which the service's profiles and the ceiling's rows differ (a customer missing on either side, then each figure):",
    '',
    '| after | customers | value tier | R | F | M |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...[
      ['one instance', r.agreement],
      ['two instances', r.agreementTwo],
    ].map(
      ([name, a]) =>
        `| ${name as string} | ${(a as Record<string, number>).customers} | ${(a as Record<string, number>).value_tier} | ${(a as Record<string, number>).rfm_recency} | ${(a as Record<string, number>).rfm_frequency} | ${(a as Record<string, number>).rfm_monetary} |`,
    ),
    '',
    '## Processes',
    '',
    'CPU seconds over the run (from /proc) and peak resident set (VmHWM, start-up included, and VmRSS sampled every second).',
    '',
    '| run | process | CPU s | peak RSS MiB |',
    '| --- | --- | ---: | ---: |',
    ...processRow(one),
    ...processRow(two),
    '',
    '## Shards',
    '',
    '| run | shard | indicators s | profiles s | publishing s | indicators by | profiles by | published by |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...shardRows(one),
    ...shardRows(two),
    '',
    `Data: ${JSON.stringify(r.bank.counts)}.`,
    '',
    ...runSection(
      r.machine,
      r.startedAt,
      'Postgres, Redis and Kafka on the same machine; other agents may share it.',
    ),
  ];
  const path = join(REPORT_DIR, `${REPORT_NAME}.md`);
  await writeFile(path, await format(lines.join('\n'), { ...(await resolveConfig(path)), filepath: path }));
  log(`report: ${path}`);
  log(
    `ceiling ${s1(r.ceilingSeconds)} s; one instance ${s1(one.seconds)} s (${ratioToCeiling.toFixed(2)}× ceiling); ` +
      `two instances ${s1(two.seconds)} s (one/two ${ratioOneTwo.toFixed(2)}×); peak RSS ${peakRss.toFixed(0)} MiB`,
  );
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
