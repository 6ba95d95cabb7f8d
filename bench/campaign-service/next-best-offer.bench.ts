import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Role, signDevToken } from '@crm/security';
import {
  LoadTarget,
  RunningNodeApp,
  compareTargets,
  printSummary,
  runSettings,
  startBaseline,
  startNodeApp,
  writeReport,
} from '../lib';
import {
  BENCH_DATABASE_URL,
  BENCH_HEAD_OFFICE,
  BENCH_REDIS_URL,
  BENCH_SCHEMA,
  campaignServiceEnv,
  customerIdOf,
  loadBenchCampaignBank,
  migrateBenchSchema,
  wipeCounters,
} from './bench-campaign.loader';

/**
 * Next best offer at the lobby under fixed-rate load, side by side with the NestJS hello world in one run,
 * over a bank of 1 000 000 customers (campaign-service's projections loaded straight into its schema, kept
 * between runs) and five running campaigns each targeting 600 000 of them. Every decision ranks the
 * customer's campaigns, reads consent, holdings and declines, checks the caps atomically in Redis and records
 * the decision and the contact. Report: docs/benchmarks/campaign-next-best-offer (.md, .svg).
 *
 *   node -r ./tools/register.js bench/campaign-service/next-best-offer.bench.ts [--customers N]
 *     [--rates 250,500,1000 --duration 10 --repeats 3 --warmup 3 --connections 8]
 */
const SCHEMA = BENCH_SCHEMA;
const DATABASE_URL = BENCH_DATABASE_URL;
const REDIS_URL = BENCH_REDIS_URL;
const REDIS_PREFIX = 'bench:campaign-nbo:';
const CAMPAIGNS = 5;
/** Customers the decisions rotate over: each comes a few times, so caps are checked, and some bite. */
const SAMPLE = 50_000;
const JWT = {
  JWT_SECRET: randomBytes(24).toString('hex'),
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Lobby offers at most twice a day per customer; otherwise the bank's policy without quiet hours. */
const POLICY = {
  caps: [
    { subject: 'customer', channel: 'lobby', period: 'day', max: 2 },
    { subject: 'customer', channel: null, period: 'week', max: 3 },
  ],
  quietHours: [],
  declineCoolingDays: 30,
  dailyCapacity: {},
  managerDailyTasks: 30,
};

/** Five running lobby campaigns, each targeting 600 000 customers (a tenth as control); decisions cleared. */
async function prepareCampaigns(db: Client, customers: number): Promise<void> {
  const t = (table: string) => `"${SCHEMA}".${table}`;
  for (const table of [
    'offer_decision',
    'contact',
    'outbox',
    'target',
    'campaign_transition',
    'campaign',
    'contact_policy',
  ])
    await db.query(`TRUNCATE ${t(table)} CASCADE`);
  await db.query(
    `INSERT INTO ${t('contact_policy')} (institution_id, policy, changed_by) VALUES (NULL, $1, 'bench')`,
    [JSON.stringify(POLICY)],
  );
  const perCampaign = Math.round(customers * 0.6);
  for (let i = 0; i < CAMPAIGNS; i += 1) {
    const id = `CMP-BENCHNBO0000${i}`;
    await db.query(
      `INSERT INTO ${t('campaign')} (campaign_id, name, objective, owner_institution_id, product_codes, channels, templates,
         cost_per_contact, conversion_value, currency, priority, control_share, starts_at, ends_at, attribution_days,
         audience, status, created_by)
       VALUES ($1, $1, 'bench', $2, $3, '{lobby,counter}', '{"lobby":"ask about it","counter":"ask about it"}',
         '{"lobby":"0.00","counter":"0.00"}', $4, 'CNY', $5, 0.1, now() - interval '1 hour', now() + interval '30 days',
         30, '{"kind":"upload"}', 'running', 'bench')`,
      [id, BENCH_HEAD_OFFICE, [i === 0 ? 'TD-12M' : `WM-${i}`], 100 * (i + 1), 10 + i],
    );
    // A contiguous run of the customers per campaign, shifted, so customers differ in how many compete.
    await db.query(
      `INSERT INTO ${t('target')} (campaign_id, customer_id, arm, source, state, due_at)
       SELECT $1, 'C' || (100000000000 + ((g + $2) % $3))::text,
              CASE WHEN abs(hashtext($1 || g::text)) % 10 = 0 THEN 'control' ELSE 'treatment' END, 'upload',
              CASE WHEN abs(hashtext($1 || g::text)) % 10 = 0 THEN 'held-back' ELSE 'pending' END,
              now() + interval '30 days'
         FROM generate_series(0, $4::int - 1) AS g`,
      [id, Math.round((i * customers) / CAMPAIGNS), customers, perCampaign],
    );
    log(`  campaign ${id}: ${perCampaign} targets`);
  }
  await db.query(`ANALYZE ${t('target')}`);
}

async function main(): Promise<void> {
  const customersArg = process.argv.indexOf('--customers');
  const customers = customersArg < 0 ? 1_000_000 : Number(process.argv[customersArg + 1]);
  const rest = process.argv
    .slice(2)
    .filter((_, i, all) => all[i] !== '--customers' && all[i - 1] !== '--customers');
  const settings = runSettings(
    { rates: [250, 500, 1000], durationSeconds: 10, repeats: 3, warmupSeconds: 3, connections: 8 },
    rest,
  );
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const apps: RunningNodeApp[] = [];
  // Decisions only: no target of these campaigns is due for the dispatcher.
  const env = () =>
    campaignServiceEnv({ redisPrefix: REDIS_PREFIX, jwtSecret: JWT.JWT_SECRET, dispatchIntervalMs: 600_000 });
  try {
    await migrateBenchSchema(await env(), log);
    const bank = await loadBenchCampaignBank({
      databaseUrl: DATABASE_URL,
      schema: SCHEMA,
      customers,
      reload: false,
      log,
    });
    await prepareCampaigns(db, customers);
    await wipeCounters(REDIS_URL, REDIS_PREFIX);
    log('starting the baseline and campaign-service...');
    const [baseline, service] = await Promise.all([
      startBaseline(),
      env().then((serviceEnv) =>
        startNodeApp({
          name: 'campaign-service',
          entry: 'apps/campaign-service/src/main.ts',
          env: serviceEnv,
        }),
      ),
    ]);
    apps.push(baseline, service);

    const lobbyApp = {
      authorization: `Bearer ${signDevToken({ sub: 'bench-lobby-app', roles: [Role.System], inst: BENCH_HEAD_OFFICE, perms: [] }, JWT, 24 * 3600)}`,
      'content-type': 'application/json',
    };
    const bodies = Array.from({ length: SAMPLE }, (_, i) =>
      JSON.stringify({ customerId: customerIdOf(Math.floor((i * customers) / SAMPLE)), channel: 'lobby' }),
    );
    const decide: LoadTarget = {
      name: 'decide lobby',
      url: `${service.baseUrl}/api/v1/offers/decide`,
      method: 'POST',
      headers: lobbyApp,
      bodies,
    };
    const check = await fetch(decide.url, { method: 'POST', headers: lobbyApp, body: bodies[1] });
    const first = (await check.json()) as { offer: unknown; reason: string | null };
    if (!check.ok || !first.offer)
      throw new Error(`the first decision offered nothing: ${JSON.stringify(first)}`);

    const comparison = await compareTargets({
      name: 'campaign-next-best-offer',
      targets: [{ name: 'baseline', url: `${baseline.baseUrl}/hello` }, decide],
      ...settings,
      notes: [
        'baseline: a NestJS hello world (bench/baseline, `GET /hello`), started the same way as the service.',
        `campaign-service (apps/campaign-service, NODE_ENV=test) on schema \`${SCHEMA}\`: ${JSON.stringify(bank.counts)}; ` +
          `${CAMPAIGNS} running campaigns on lobby and counter, each targeting ${Math.round(customers * 0.6)} customers ` +
          '(a tenth held back), priorities 10-14, values 100-500 CNY.',
        `decide lobby: \`POST /api/v1/offers/decide\` as a bank system (the lobby app) for ${SAMPLE} customers in turn, ` +
          `spread over the bank. Each decision ranks the customer's campaigns, reads consent, holdings and declines, ` +
          `checks the caps in Redis (policy ${JSON.stringify(POLICY)}) and records the decision and, when an offer is made, ` +
          'the contact and the target: a write transaction per request.',
        'Target: p99 ≤ 10 ms at 1 000 requests/s.',
      ],
    });
    const report = await writeReport(comparison);
    printSummary(comparison, report);
    const outcomes = (
      await db.query(
        `SELECT coalesce(reason, 'offered') AS key, count(*)::int AS n FROM "${SCHEMA}".offer_decision GROUP BY 1 ORDER BY 2 DESC`,
      )
    ).rows;
    log(`decisions: ${JSON.stringify(outcomes)}`);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await db.end();
    // Millions of expiring keys would keep Redis busy for days after the run.
    await wipeCounters(REDIS_URL, REDIS_PREFIX);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
