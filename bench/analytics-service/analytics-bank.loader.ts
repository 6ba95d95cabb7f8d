import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_BANK_TIME_ZONE, addDays, daysBetween } from '@crm/calendar';
import {
  AccountKind,
  AccountStatus,
  BankTransactionCodes,
  CardChannel,
  CreditDebitIndicator,
  LoanClassification,
  LoanSettlementKind,
  RepaymentMethod,
  TransactionChannel,
} from '@crm/contracts';
import { CountProgress, REPO_ROOT, SERVICE_ENV, SERVICE_NODE_ARGS } from '../lib';
import {
  BENCH_CUSTOMERS,
  BENCH_TRANSACTIONS,
  BRANCHES,
  BankShape,
  BenchMonth,
  OUTLETS_PER_BRANCH,
  PRIVATE_BANKERS_PER_BRANCH,
  RELATIONSHIP_MANAGERS_PER_OUTLET,
  bankShape,
  benchMonths,
  chunks,
  factsByMonth,
  fingerprintOf,
  institutions,
  managers,
} from './analytics-bank.shape';
import { checkAnalyticsBank, describeAnalyticsBank, warehouseSizes } from './analytics-bank.check';

/**
 * A bank for analytics-service's close-of-business benchmark, loaded straight into the warehouse tables of a
 * bench schema (migrated by the service itself) with set-based SQL, and kept between runs:
 *
 *   node -r ./tools/register.js bench/analytics-service/analytics-bank.loader.ts [--customers N] [--transactions M] [--reload] [--check] [--schema S]
 *
 * Default 1 000 000 customers and 20 000 000 transaction_fact rows (about 10 min on the 2-core machine) in
 * schema bench_analytics; try `--customers 10000 --transactions 200000 --schema bench_analytics_small` first
 * (the schema, migrated by the service, is the service's DATABASE_SCHEMA rule: lower-case letters, digits, _). The schema is loaded again only when its fingerprint (the
 * shape and the generator's version) or its row counts differ, or with `--reload`.
 * `--check` prints the bank's distributions and runs the consistency checks afterwards (4 min at full size).
 *
 * What is loaded, the way the service's consumers would have written it:
 * - institutions (head office, 6 branches, 48 outlets) and managers (6 relationship managers, a lobby manager
 *   and a head per outlet; heads and 2 private bankers per branch);
 * - customers (6% corporate), each with a latent wealth drawn lognormal (individuals: median 12 000 CNY,
 *   σ 2.1; corporates: median 300 000, σ 1.9), so that about 3% hold more than 1M and most less than 50 000;
 *   coverage (a relationship manager for corporates, the wealthy, borrowers and a quarter of the rest; a
 *   private banker above 1M; 10% also covered by a second outlet) and its history (5% reassigned in the window);
 * - accounts as the contracts' AccountKind: a settlement account each (savings, current for corporates), a
 *   second savings account at the covering outlet, time deposits and wealth products more often the wealthier
 *   the customer (some matured in the window and closed, not renewed); loans (10% of individuals, 40% of
 *   corporates, equal-principal, some settled in the window) and credit cards (individuals, mostly digital);
 * - transaction_fact over the 13 months up to the business date: deposit entries on the demand accounts and
 *   8% card spends, split over the months by season and growth and over the holdings by activity (10% of the
 *   customers dormant, heavy ones 8 times a light one, corporates 4 times), amounts lognormal around each
 *   account's usual amount, channels by customer (digital ones mostly mobile; the others counter, ATM, POS;
 *   corporates online and counter), about 4% of transfers to other banks; 3% of customers leave in the
 *   window: more transfers out, then the balance drained to other banks in their last month, then nothing;
 * - daily_balance as the service writes it: a row on each day some fact stated a balance (an account's
 *   opening and closing, an entry's balance after: the day's last one; a loan's disbursal, repayments and
 *   settlement); each holding's current balance is its last row's.
 *
 * Randomness comes from hashes of row numbers (`hashint8extended`), not from a seed and the order rows are
 * made in: the same shape always loads the same rows.
 */
export const ANALYTICS_BENCH_SCHEMA = 'bench_analytics';
export const ANALYTICS_BENCH_DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
export const ANALYTICS_BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export { BENCH_BUSINESS_DATE, BENCH_CUSTOMERS, BENCH_TRANSACTIONS } from './analytics-bank.shape';

const SERVICE_ENTRY = 'apps/analytics-service/src/main.ts';
const TIME_ZONE = DEFAULT_BANK_TIME_ZONE;
/** Customers (and their holdings) per statement: a month's chunk is about 300 000 entries, sorted in memory. */
const CUSTOMERS_PER_CHUNK = 200_000;
/** The loader's own table in the bench schema: what was loaded, so that a later run can keep it. */
const FINGERPRINT_TABLE = 'bench_fingerprint';
/** The tables the loader fills, which it empties first. */
const WAREHOUSE_TABLES = [
  'customer',
  'institution',
  'manager',
  'coverage',
  'coverage_history',
  'account',
  'loan',
  'card',
  'daily_balance',
  'transaction_fact',
] as const;

/**
 * Fixed keys, not secrets: the schema is kept between runs, and a later run's service must start on it (its
 * key fingerprint check refuses other keys).
 */
const benchKey = (purpose: string): string =>
  createHash('sha256').update(`bank-crm analytics benchmark ${purpose}`).digest('base64');

/** analytics-service's environment in a benchmark: the bench schema and keys, its own Redis prefix and topics. */
export function analyticsServiceEnv(options: {
  jwtSecret: string;
  redisPrefix?: string;
  more?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: ANALYTICS_BENCH_DATABASE_URL,
    DATABASE_SCHEMA: ANALYTICS_BENCH_SCHEMA,
    REDIS_URL: ANALYTICS_BENCH_REDIS_URL,
    REDIS_KEY_PREFIX: options.redisPrefix ?? 'bench:analytics:',
    KAFKA_TOPIC_PREFIX: 'bench.analytics-service.',
    JWT_SECRET: options.jwtSecret,
    PII_ENCRYPTION_KEY: benchKey('pii encryption'),
    PII_HASH_KEY: benchKey('pii hash'),
    ...options.more,
  };
}

/** Runs analytics-service's own start-up migrations on the bench schema (`main.ts migrate`: no Kafka, no serving). */
export async function migrateAnalyticsBenchSchema(
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  log(`migrating schema ${env.DATABASE_SCHEMA} with analytics-service's migrations...`);
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, SERVICE_ENTRY, 'migrate'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...SERVICE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0)
    throw new Error(`analytics-service migrate exited with ${code}:\n${output.join('').slice(-4000)}`);
}

export interface AnalyticsBankOptions {
  databaseUrl: string;
  schema: string;
  customers: number;
  transactions: number;
  businessDate?: string;
  /** Load again although the schema holds this bank. */
  reload: boolean;
  log: (line: string) => void;
}

export interface AnalyticsBank {
  schema: string;
  /** The close of business the bank was loaded for: the last day of its last month. */
  businessDate: string;
  months: BenchMonth[];
  shape: BankShape;
  fingerprint: string;
  /** Rows per warehouse table. */
  counts: Record<string, number>;
  /** False when the schema already held the bank. */
  loaded: boolean;
  /** How long this bank took to load, when it was loaded (this run or an earlier one). */
  loadSeconds: number;
}

/** Loads the bank into `schema` (migrated already) unless it holds it; then VACUUM ANALYZE. */
export async function loadAnalyticsBank(options: AnalyticsBankOptions): Promise<AnalyticsBank> {
  const shape = bankShape(options);
  const months = benchMonths(shape.businessDate, shape.months);
  const client = new Client({
    connectionString: options.databaseUrl,
    application_name: 'analytics-bench-loader',
  });
  await client.connect();
  try {
    // Before the session's first temp table: the loader's working tables stay in memory.
    await client.query(`SET temp_buffers = '512MB'`);
    const s = options.schema;
    const fingerprint = fingerprintOf(shape);
    const base = { schema: s, businessDate: shape.businessDate, months, shape, fingerprint };
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${s}".${FINGERPRINT_TABLE} (fingerprint text NOT NULL, shape jsonb NOT NULL,
         counts jsonb NOT NULL, load_seconds numeric NOT NULL, loaded_at timestamptz NOT NULL)`,
    );
    const stored = (await client.query(`SELECT * FROM "${s}".${FINGERPRINT_TABLE}`)).rows[0] as
      { fingerprint: string; counts: Record<string, number>; load_seconds: string } | undefined;
    if (!options.reload && stored?.fingerprint === fingerprint) {
      const counts = await countRows(client, s);
      if (WAREHOUSE_TABLES.every((t) => counts[t] === stored.counts[t])) {
        options.log(
          `schema ${s} already holds this bank (${fingerprint}): load skipped (--reload forces it)`,
        );
        return { ...base, counts, loaded: false, loadSeconds: Number(stored.load_seconds) };
      }
      options.log(`schema ${s} has the bank's fingerprint but other row counts: loading again`);
    }

    const started = Date.now();
    options.log(
      `loading ${shape.customers} customers and ${shape.transactions} transactions up to ${shape.businessDate} into ${s}`,
    );
    // One transaction: an interrupted load leaves the previous bank, never a half-filled schema. Its
    // fingerprint goes with it, and the new one is written once the bank is vacuumed too.
    await client.query('BEGIN');
    await client.query(`DELETE FROM "${s}".${FINGERPRINT_TABLE}`);
    await loadInTransaction(client, s, shape, months, options.log);
    await client.query('COMMIT');
    // Sets hint bits and the visibility map now, so that the benchmark's first run does not write every page
    // (autovacuum may be off), and gives the planner its statistics.
    await timed(options.log, 'VACUUM ANALYZE', async () => {
      for (const table of WAREHOUSE_TABLES) await client.query(`VACUUM (ANALYZE) "${s}".${table}`);
    });
    const counts = await countRows(client, s);
    const loadSeconds = (Date.now() - started) / 1000;
    await client.query(`INSERT INTO "${s}".${FINGERPRINT_TABLE} VALUES ($1, $2, $3, $4, now())`, [
      fingerprint,
      JSON.stringify(shape),
      JSON.stringify(counts),
      loadSeconds.toFixed(1),
    ]);
    options.log(`loaded in ${loadSeconds.toFixed(1)} s`);
    return { ...base, counts, loaded: true, loadSeconds };
  } finally {
    await client.end();
  }
}

async function timed<T>(log: (line: string) => void, label: string, run: () => Promise<T>): Promise<T> {
  const at = Date.now();
  const result = await run();
  log(`  ${label}: ${((Date.now() - at) / 1000).toFixed(1)} s`);
  return result;
}

/** A uniform draw in [0, 1) and a standard normal one, from a hash of the row's number and a salt. */
const DRAW_FUNCTIONS = [
  `CREATE FUNCTION pg_temp.u(key bigint, salt bigint) RETURNS float8 IMMUTABLE LANGUAGE sql
     AS $$ SELECT (hashint8extended(key, salt) & 4503599627370495)::float8 / 4503599627370496.0 $$`,
  `CREATE FUNCTION pg_temp.z(key bigint, salt bigint) RETURNS float8 IMMUTABLE LANGUAGE sql
     AS $$ SELECT sqrt(-2.0 * ln(1.0 - pg_temp.u(key, salt))) * cos(2.0 * pi() * pg_temp.u(key, salt + 1)) $$`,
];

/** SQL literal of a string made here (ids, codes), never of input. */
const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map(lit).join(', ')}]`;

/** The outlet id of branch and outlet numbers (0-based SQL expressions), as outletId() writes it. */
const outletIdSql = (branch: string, outlet: string): string =>
  `(${sqlArray(BRANCHES.map((b) => b.id))})[${branch} + 1] || '-OT' || lpad((${outlet} + 1)::text, 2, '0')`;
/** The staff id of a slot of an outlet, as outletStaffId() writes it. */
const staffIdSql = (branch: string, outlet: string, slot: string): string =>
  `'E1' || lpad(((${branch} * ${OUTLETS_PER_BRANCH} + ${outlet}) * 10 + ${slot} + 1)::text, 5, '0')`;
/** A wall-clock time of a business date in the bank's zone. */
const atSql = (date: string, time: string): string =>
  `((${date}) + time '${time}') AT TIME ZONE ${lit(TIME_ZONE)}`;

/** Other banks' CNAPS participant codes (ICBC, ABC, BOC, CCB, CMB) for transfers out of the bank. */
const OTHER_BANKS = ['102100099996', '103100000026', '104100000004', '105100000017', '308584000013'];
const INDUSTRIES = ['制造业', '批发和零售业', '建筑业', '信息技术服务业', '交通运输业'];
const MERCHANT_CATEGORIES = ['5411', '5812', '5541', '5311', '4814', '5999', '7011', '5732'];
/** σ of an entry's amount (lognormal) around its account's usual amount (a share of its opening balance). */
const TYPICAL_AMOUNT_SIGMA = 1.0;

async function loadInTransaction(
  client: Client,
  s: string,
  shape: BankShape,
  months: BenchMonth[],
  log: (line: string) => void,
): Promise<void> {
  const q = (sql: string, values: unknown[] = []) => client.query(sql, values);
  const t = (table: string) => `"${s}".${table}`;
  const bd = `date ${lit(shape.businessDate)}`;
  const windowStart = months[0].from;
  const windowDays = daysBetween(windowStart, addDays(shape.businessDate, 1));
  const ws = `date ${lit(windowStart)}`;
  const customerChunks = chunks(shape.customers, CUSTOMERS_PER_CHUNK);
  const accountsOf = (chunk: { first: number; last: number }) => [chunk.first * 4, chunk.last * 4 + 3];

  // Sorts of a chunk in memory, index builds of a partition in one pass.
  await q(`SET LOCAL work_mem = '256MB'`);
  await q(`SET LOCAL maintenance_work_mem = '512MB'`);
  // generate_series per row misleads the planner's estimates by orders of magnitude: JIT would compile for long.
  await q(`SET LOCAL jit = off`);
  for (const sql of DRAW_FUNCTIONS) await q(sql);

  await timed(log, 'emptied the warehouse tables and dropped the month partitions', async () => {
    const partitions = (
      await q(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname ~ '^transaction_fact_\\d{4}_\\d{2}$'`,
        [s],
      )
    ).rows as { relname: string }[];
    for (const p of partitions) await q(`DROP TABLE "${s}"."${p.relname}"`);
    await q(`TRUNCATE ${WAREHOUSE_TABLES.map(t).join(', ')}`);
  });

  await timed(log, 'institutions and managers', async () => {
    const tree = institutions();
    await q(
      `INSERT INTO ${t('institution')} (institution_id, parent_id, level, name, active, region_code, as_of)
       SELECT id, parent_id, level, name, true, region_code, ${atSql(ws, '00:00')} - interval '10 years'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS i(id, parent_id, level, name, region_code)`,
      [
        tree.map((i) => i.id),
        tree.map((i) => i.parentId),
        tree.map((i) => i.level),
        tree.map((i) => i.name),
        tree.map((i) => i.regionCode),
      ],
    );
    const staff = managers();
    await q(
      `INSERT INTO ${t('manager')} (manager_id, institution_id, roles, active, name, as_of)
       SELECT id, institution_id, string_to_array(roles, ','), true, name, ${atSql(ws, '00:00')} - interval '1 year'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS m(id, institution_id, roles, name)`,
      [
        staff.map((m) => m.id),
        staff.map((m) => m.institutionId),
        staff.map((m) => m.roles.join(',')),
        staff.map((m) => m.name),
      ],
    );
  });

  // The customers' draws, kept for the statements that follow (temp tables: no WAL, gone with the session).
  await timed(log, `${shape.customers} customers drawn`, () =>
    q(
      `CREATE TEMP TABLE w_customer AS
       WITH d AS (
         SELECT i, pg_temp.u(i, 1) < 0.06 AS corporate,
           CASE ${BRANCHES.map((_, b) => `WHEN pg_temp.u(i, 2) < ${BRANCHES.slice(0, b + 1).reduce((sum, x) => sum + x.weight, 0)} THEN ${b}`).join(' ')} ELSE ${BRANCHES.length - 1} END AS branch,
           floor(pg_temp.u(i, 3) * ${OUTLETS_PER_BRANCH})::int AS outlet,
           pg_temp.u(i, 4) < 0.5 AS female,
           date '1950-01-01' + floor(pg_temp.u(i, 5) * 20089)::int AS birth_date,
           floor(pg_temp.u(i, 6) * ${INDUSTRIES.length})::int AS industry,
           date '2005-01-01' + floor(pg_temp.u(i, 7) * (${bd} - date '2005-01-01' + 1))::int AS registered_draw,
           pg_temp.z(i, 8) AS wealth_z,
           CASE WHEN pg_temp.u(i, 10) < 0.10 THEN 0 WHEN pg_temp.u(i, 10) < 0.55 THEN 1
                WHEN pg_temp.u(i, 10) < 0.90 THEN 3 ELSE 8 END AS activity,
           pg_temp.u(i, 11) AS leaver_u, pg_temp.u(i, 12) AS leaves_u, pg_temp.u(i, 13) AS digital_u,
           pg_temp.u(i, 14) AS td_u, pg_temp.u(i, 15) AS wm_u, pg_temp.u(i, 16) AS sb_u, pg_temp.u(i, 17) AS loan_u,
           pg_temp.u(i, 18) AS card_u, pg_temp.u(i, 19) AS covered_u,
           floor(pg_temp.u(i, 20) * ${RELATIONSHIP_MANAGERS_PER_OUTLET})::int AS rm,
           floor(pg_temp.u(i, 21) * ${PRIVATE_BANKERS_PER_BRANCH})::int AS banker,
           pg_temp.u(i, 22) < 0.05 AS reassigned, pg_temp.u(i, 23) AS sb_branch_u, pg_temp.u(i, 24) AS sb_outlet_u
         FROM generate_series(1, $1::int) i
       ), e AS (
         SELECT d.*,
           least(3e8, greatest(50, exp(CASE WHEN corporate THEN ln(300000) + 1.9 * wealth_z
                                              ELSE ln(12000) + 2.1 * wealth_z END))) AS wealth,
           activity * CASE WHEN corporate THEN 4 ELSE 1 END AS weight,
           CASE WHEN corporate THEN NULL ELSE greatest(registered_draw, (birth_date + interval '18 years')::date) END AS registered_individual,
           CASE WHEN corporate THEN digital_u < 0.9 WHEN birth_date >= date '1965-01-01' THEN digital_u < 0.75
                ELSE digital_u < 0.35 END AS digital,
           -- The second outlet: mostly another one of the same branch, sometimes one in another city.
           CASE WHEN sb_branch_u < 0.7 THEN branch ELSE floor(sb_branch_u * 1000)::int % ${BRANCHES.length} END AS sb_branch,
           (outlet + 1 + floor(sb_outlet_u * ${OUTLETS_PER_BRANCH - 1})::int) % ${OUTLETS_PER_BRANCH} AS sb_outlet
         FROM d
       ), f AS (
         SELECT e.*, log(wealth) AS lw, coalesce(registered_individual, registered_draw) AS registered_on,
           CASE WHEN activity > 0 AND leaver_u < 0.03 THEN 4 + floor(leaves_u * 9)::int END AS leaves_in,
           loan_u < CASE WHEN corporate THEN 0.40 ELSE 0.10 END AS has_loan
         FROM e
       )
       SELECT i, 'C1' || lpad(i::text, 11, '0') AS customer_id, corporate, branch, outlet,
         ${outletIdSql('branch', 'outlet')} AS outlet_id,
         (${sqlArray(BRANCHES.map((b) => b.regionCode))})[branch + 1] AS region_code,
         CASE WHEN corporate THEN NULL WHEN female THEN 'female' ELSE 'male' END AS gender,
         CASE WHEN corporate THEN NULL ELSE birth_date END AS birth_date,
         CASE WHEN corporate THEN (${sqlArray(INDUSTRIES)})[industry + 1] END AS industry,
         registered_on, wealth, weight, leaves_in, digital, has_loan,
         td_u < 0.12 + 0.38 * least(1, greatest(0, (lw - 3.5) / 2.5)) AS has_td,
         wm_u < 0.02 + 0.40 * least(1, greatest(0, (lw - 4.5) / 2)) AS has_wm,
         sb_u < 0.10 AS has_sb,
         NOT corporate AND weight > 0 AND card_u < 0.15 + CASE WHEN digital THEN 0.25 ELSE 0 END AS has_card,
         CASE WHEN corporate OR wealth >= 50000 OR has_loan OR covered_u < 0.25
              THEN ${staffIdSql('branch', 'outlet', 'rm')} END AS manager_id,
         CASE WHEN reassigned AND (corporate OR wealth >= 50000 OR has_loan OR covered_u < 0.25)
              THEN ${staffIdSql('branch', 'outlet', `(rm + 1) % ${RELATIONSHIP_MANAGERS_PER_OUTLET}`)} END AS previous_manager_id,
         CASE WHEN wealth >= 1e6 THEN 'E19' || lpad((branch * 10 + banker + 1)::text, 4, '0') END AS private_banker_id,
         ${outletIdSql('sb_branch', 'sb_outlet')} AS sb_outlet_id,
         ${staffIdSql('sb_branch', 'sb_outlet', 'rm')} AS sb_manager_id
       FROM f`,
      [shape.customers],
    ),
  );

  await timed(log, 'customers, coverage and its history', async () => {
    await q(
      `INSERT INTO ${t('customer')} (customer_id, kind, gender, birth_date, industry, region_code, home_institution_id,
         registered_on, profile_as_of)
       SELECT customer_id, CASE WHEN corporate THEN 'corporate' ELSE 'individual' END, gender, birth_date, industry,
         region_code, outlet_id, registered_on, ${atSql('registered_on', '09:00')}
       FROM w_customer ORDER BY i`,
    );
    const secondary = `CASE WHEN has_sb THEN jsonb_build_array(jsonb_build_object('institutionId', sb_outlet_id,
      'managerId', sb_manager_id)) ELSE '[]'::jsonb END`;
    // A reassigned customer's second version: another manager of the outlet, some day in the window.
    const reassignedAt = atSql(`${ws} + floor(pg_temp.u(i, 25) * ${windowDays})::int`, '10:00');
    await q(
      `INSERT INTO ${t('coverage')} (customer_id, version, primary_institution_id, primary_manager_id, private_banker_id,
         secondary, changed_at)
       SELECT customer_id, CASE WHEN previous_manager_id IS NULL THEN 1 ELSE 2 END, outlet_id, manager_id,
         private_banker_id, ${secondary},
         CASE WHEN previous_manager_id IS NULL THEN ${atSql('registered_on', '10:00')} ELSE ${reassignedAt} END
       FROM w_customer ORDER BY i`,
    );
    await q(
      `INSERT INTO ${t('coverage_history')} (customer_id, version, primary_institution_id, primary_manager_id,
         private_banker_id, secondary, key_customer, changed_at)
       SELECT customer_id, v.version, outlet_id, v.manager_id, private_banker_id, ${secondary}, wealth >= 1e6, v.changed_at
       FROM w_customer CROSS JOIN LATERAL (
         SELECT 1 AS version, coalesce(previous_manager_id, manager_id) AS manager_id,
                ${atSql('registered_on', '10:00')} AS changed_at
         UNION ALL
         SELECT 2, manager_id, ${reassignedAt} WHERE previous_manager_id IS NOT NULL) v
       ORDER BY i, v.version`,
    );
  });

  await timed(log, 'accounts drawn', () => drawAccounts(q, shape, ws, windowDays));
  await timed(log, 'loans and cards drawn', () => drawLoansAndCards(q, shape, ws, windowDays));
  // Temp tables have no statistics unless asked: the plans below join and sort them.
  for (const table of ['w_customer', 'w_account', 'w_loan', 'w_loan_daily', 'w_card'])
    await q(`ANALYZE ${table}`);
  // Each demand account's balance before the month being loaded, with the fact that stated it.
  await q(
    `CREATE TEMP TABLE w_carry AS
     SELECT account_no, opening AS balance, opened_as_of AS as_of, 'opened:' || account_id AS fact_id
       FROM w_account WHERE weight > 0`,
  );
  for (const chunk of customerChunks)
    await q(
      `CREATE TEMP TABLE w_daily_${chunk.first} (account_no bigint, holding_id text, business_date date,
         customer_id text, balance numeric(20,2), as_of timestamptz, fact_id text)`,
    );
  await q(
    `CREATE TEMP TABLE w_month_end (account_no bigint, balance numeric(20,2), as_of timestamptz, fact_id text)`,
  );

  const progress = new CountProgress('transaction_fact', shape.transactions);
  let facts = 0;
  for (const { month, entries, cardSpends } of factsByMonth(shape)) {
    const partition = `"${s}"."${month.partition}"`;
    // analytics-service's partitions/ makes a month's partition the same way (CREATE TABLE … LIKE, then ATTACH);
    // here it is filled before it is attached, so that its indexes are built once, by the ATTACH, not row by row.
    await q(
      `CREATE TABLE ${partition} (LIKE ${t('transaction_fact')} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    await countEntries(q, month, entries);
    for (const chunk of customerChunks) {
      const [from, to] = accountsOf(chunk);
      const inserted = await q(entriesSql(partition, month, `w_daily_${chunk.first}`), [from, to]);
      facts += inserted.rowCount ?? 0;
      progress.update(facts);
    }
    const spends = await q(cardSpendsSql(partition, month), [cardSpends]);
    facts += spends.rowCount ?? 0;
    progress.update(facts);
    await q(
      `ALTER TABLE ${t('transaction_fact')} ATTACH PARTITION ${partition}
         FOR VALUES FROM (${lit(month.from)}) TO (${lit(month.to)})`,
    );
    await q(
      `CREATE TEMP TABLE w_carry_next AS
       SELECT c.account_no, coalesce(e.balance, c.balance) AS balance, coalesce(e.as_of, c.as_of) AS as_of,
              coalesce(e.fact_id, c.fact_id) AS fact_id
         FROM w_carry c LEFT JOIN w_month_end e USING (account_no)`,
    );
    await q(`DROP TABLE w_carry, w_count`);
    await q(`ALTER TABLE w_carry_next RENAME TO w_carry`);
    await q(`TRUNCATE w_month_end`);
  }
  progress.done();
  if (facts !== shape.transactions)
    throw new Error(`loaded ${facts} transactions, not ${shape.transactions}`);

  await writeDailyBalances(q, t, customerChunks, accountsOf, log);
  await timed(log, 'accounts, loans and cards with their balances', async () => {
    await q(
      `INSERT INTO ${t('account')} (account_id, customer_id, institution_id, kind, product_code, product_name, currency,
         manager_id, opened_on, closed_on, maturity_date, maturity_as_of, status, status_as_of, balance, balance_as_of,
         balance_fact_id)
       SELECT a.account_id, a.customer_id, a.institution_id, a.kind, a.product_code, a.product_name, 'CNY', a.manager_id,
         a.opened_on, a.closed_on, a.maturity_date, CASE WHEN a.maturity_date IS NOT NULL THEN a.opened_on END,
         CASE WHEN a.closed_on IS NOT NULL THEN ${lit(AccountStatus.Closed)}
              WHEN a.dormant THEN ${lit(AccountStatus.Dormant)} ELSE ${lit(AccountStatus.Active)} END,
         CASE WHEN a.closed_on IS NOT NULL THEN a.closed_as_of WHEN a.dormant THEN ${atSql(ws, '00:00')}
              ELSE a.opened_as_of END,
         CASE WHEN a.closed_on IS NOT NULL THEN 0 ELSE coalesce(c.balance, a.opening) END,
         CASE WHEN a.closed_on IS NOT NULL THEN a.closed_as_of ELSE coalesce(c.as_of, a.opened_as_of) END,
         CASE WHEN a.closed_on IS NOT NULL THEN 'closed:' || a.account_id
              ELSE coalesce(c.fact_id, 'opened:' || a.account_id) END
       FROM w_account a LEFT JOIN w_carry c USING (account_no) ORDER BY a.account_no`,
    );
    await q(
      `INSERT INTO ${t('loan')} (loan_id, customer_id, institution_id, manager_id, product_code, product_name, currency,
         principal, interest_rate, repayment_method, disbursed_on, maturity_date, schedule_as_of, classification,
         classification_as_of, days_overdue, overdue_as_of, interest_unpaid, interest_unpaid_as_of, status, settled_on,
         settlement, balance, balance_as_of, balance_fact_id)
       SELECT l.loan_id, l.customer_id, l.institution_id, l.manager_id, l.product_code, l.product_name, 'CNY',
         l.principal, l.rate, ${lit(RepaymentMethod.EqualPrincipal)}, l.disbursed_on, l.maturity_date, l.disbursed_on,
         l.classification, l.classified_on, l.days_overdue, CASE WHEN l.days_overdue > 0 THEN ${bd} END,
         l.interest_unpaid, CASE WHEN l.interest_unpaid > 0 THEN ${bd} END,
         CASE WHEN l.settled THEN 'settled' ELSE 'active' END, CASE WHEN l.settled THEN l.maturity_date END,
         CASE WHEN l.settled THEN ${lit(LoanSettlementKind.Matured)} END, d.balance, d.as_of, d.fact_id
       FROM w_loan l JOIN (SELECT DISTINCT ON (loan_no) loan_no, balance, as_of, fact_id FROM w_loan_daily
                            ORDER BY loan_no, business_date DESC) d USING (loan_no)
       ORDER BY l.loan_no`,
    );
    await q(
      `INSERT INTO ${t('card')} (card_id, customer_id, institution_id, manager_id, product_code, product_name, currency,
         credit_limit, issued_on, statement_day, status, status_as_of, days_overdue, stated_balance, stated_as_of,
         outstanding_balance)
       SELECT c.card_id, c.customer_id, c.institution_id, c.manager_id,
         CASE WHEN c.credit_limit >= 50000 THEN 'CC-GOLD' ELSE 'CC-STD' END,
         CASE WHEN c.credit_limit >= 50000 THEN '金卡' ELSE '标准卡' END, 'CNY', c.credit_limit, c.issued_on,
         c.statement_day, CASE WHEN c.days_overdue > 0 THEN 'overdue' ELSE 'active' END, c.stated_as_of,
         c.days_overdue, coalesce(f.stated, 0), c.stated_as_of, coalesce(f.stated, 0) + coalesce(f.since, 0)
       FROM w_card c LEFT JOIN (
         SELECT w.card_no, sum(x.amount) FILTER (WHERE x.booked_at <= w.stated_as_of) AS stated,
                sum(x.amount) FILTER (WHERE x.booked_at > w.stated_as_of) AS since
           FROM w_card w JOIN ${t('transaction_fact')} x
             ON x.source = 'card' AND x.holding_id = w.card_id AND x.booked_at > w.previous_as_of
            AND x.business_date >= ${bd} - 70
          GROUP BY w.card_no) f USING (card_no)
       ORDER BY c.card_no`,
    );
  });
}

/**
 * Deposit accounts (w_account): account_no is 4 × the customer's number + 0 settlement, 1 second savings,
 * 2 time deposit, 3 wealth product, so that accounts sort as their customers do, and so do their ids (demand
 * accounts: 19-digit account numbers as core banking's; deposits TD…, WM…). Demand accounts carry the
 * customer's activity (`weight`, 0 for the dormant), their opening balance and the usual size of an entry.
 */
async function drawAccounts(
  q: (sql: string, values?: unknown[]) => Promise<unknown>,
  shape: BankShape,
  ws: string,
  windowDays: number,
): Promise<void> {
  const bd = `date ${lit(shape.businessDate)}`;
  await q(
    `CREATE TEMP TABLE w_account (account_no bigint, i int, account_id text, customer_id text, institution_id text,
       kind text, product_code text, product_name text, manager_id text, opened_on date, maturity_date date,
       closed_on date, opening numeric(20,2), typical float8, weight int, leaves_in int, digital boolean,
       corporate boolean, dormant boolean, opened_as_of timestamptz, closed_as_of timestamptz)`,
  );
  // Shares of the latent wealth: the demand part is what the deposits and products leave, at least 15%.
  const demandShare = `greatest(0.15, 1 - CASE WHEN has_td THEN 0.45 ELSE 0 END - CASE WHEN has_wm THEN 0.3 ELSE 0 END
    - CASE WHEN has_sb THEN 0.1 ELSE 0 END)`;
  const demand = (slot: 0 | 1) => {
    const second = slot === 1;
    const opening = second
      ? `greatest(10, round((wealth * 0.1 * (0.8 + 0.4 * pg_temp.u(i, 32)))::numeric, 2))`
      : `greatest(10, round((wealth * ${demandShare} * (0.8 + 0.4 * pg_temp.u(i, 30)))::numeric, 2))`;
    return `INSERT INTO w_account (account_no, i, account_id, customer_id, institution_id, kind, product_code, product_name,
         manager_id, opened_on, opening, weight, leaves_in, digital, corporate, dormant)
       SELECT i * 4 + ${slot}, i, '62311' || lpad((i * 2 + ${slot})::text, 14, '0'), customer_id,
         ${second ? 'sb_outlet_id' : 'outlet_id'},
         ${second ? lit(AccountKind.Savings) : `CASE WHEN corporate THEN ${lit(AccountKind.Current)} ELSE ${lit(AccountKind.Savings)} END`},
         ${second ? `'SA-PLUS'` : `CASE WHEN corporate THEN 'CA-CORP' ELSE 'SA-PLUS' END`},
         ${second ? `'活期储蓄'` : `CASE WHEN corporate THEN '对公结算账户' ELSE '活期储蓄' END`},
         ${second ? 'sb_manager_id' : 'manager_id'},
         ${second ? `registered_on + floor(pg_temp.u(i, 31) * (${bd} - registered_on))::int` : 'registered_on'},
         ${opening}, weight * ${second ? 3 : 10}, leaves_in, digital, corporate, weight = 0
       FROM w_customer ${second ? 'WHERE has_sb' : ''}`;
  };
  await q(demand(0));
  await q(demand(1));
  await q(
    `UPDATE w_account SET typical = CASE WHEN corporate THEN least(2e6, greatest(500, 0.1 * opening::float8))
                                          ELSE least(5e4, greatest(50, 0.08 * opening::float8)) END`,
  );
  // A deposit with a term: mostly running at the business date (maturity within one term after it); some
  // matured in the window and were not renewed (closed), more of them for the customers who leave.
  const term = (slot: 2 | 3) => {
    const salt = slot === 2 ? 40 : 50;
    const terms = slot === 2 ? [3, 6, 12, 24, 36] : [3, 6, 12];
    const cumulative = slot === 2 ? [0.15, 0.35, 0.75, 0.85] : [0.3, 0.7];
    const pick = `CASE ${cumulative.map((c, k) => `WHEN pg_temp.u(i, ${salt}) < ${c} THEN ${terms[k]}`).join(' ')} ELSE ${terms[terms.length - 1]} END`;
    const closedShare = slot === 2 ? 0.08 : 0.06;
    const principal =
      slot === 2
        ? `greatest(1000, round((wealth * 0.45 * (0.8 + 0.4 * pg_temp.u(i, ${salt + 3})))::numeric, -2))`
        : `greatest(10000, round((wealth * 0.3 * (0.8 + 0.4 * pg_temp.u(i, ${salt + 3})))::numeric, -3))`;
    return `INSERT INTO w_account (account_no, i, account_id, customer_id, institution_id, kind, product_code, product_name,
         manager_id, opened_on, maturity_date, closed_on, opening, weight, leaves_in, digital, corporate, dormant)
       SELECT account_no, i, account_id, customer_id, outlet_id, kind, code, name, manager_id, opened_on, maturity,
         CASE WHEN maturity <= ${bd} THEN maturity END, principal, 0, leaves_in, digital, corporate, false
       FROM (
         SELECT o.*, (opened_on + make_interval(months => months))::date AS maturity
         FROM (
           SELECT m.*, greatest(registered_on, (maturity_draw - make_interval(months => months))::date) AS opened_on
           FROM (
             SELECT i * 4 + ${slot} AS account_no, i, ${slot === 2 ? `'TD1'` : `'WM1'`} || lpad(i::text, 15, '0') AS account_id,
               customer_id, outlet_id, manager_id, registered_on, leaves_in, digital, corporate,
               ${lit(slot === 2 ? AccountKind.TimeDeposit : AccountKind.WealthProduct)} AS kind, months,
               ${slot === 2 ? `'TD-'` : `'WM-'`} || months || 'M' AS code,
               ${slot === 2 ? `CASE months WHEN 3 THEN '三个月定期存款' WHEN 6 THEN '六个月定期存款' WHEN 12 THEN '一年期定期存款' WHEN 24 THEN '两年期定期存款' ELSE '三年期定期存款' END` : `'稳健理财' || months || '个月'`} AS name,
               CASE WHEN pg_temp.u(i, ${salt + 1}) < CASE WHEN leaves_in IS NULL THEN ${closedShare} ELSE 0.3 END
                    THEN ${ws} + floor(pg_temp.u(i, ${salt + 2}) * ${windowDays})::int
                    ELSE ${bd} + 1 + floor(pg_temp.u(i, ${salt + 2}) * months * 30)::int END AS maturity_draw,
               ${principal} AS principal
             FROM w_customer CROSS JOIN LATERAL (SELECT ${pick} AS months) p
             WHERE ${slot === 2 ? 'has_td' : 'has_wm'}
           ) m
         ) o
       ) a`;
  };
  await q(term(2));
  await q(term(3));
  await q(
    `UPDATE w_account SET opened_as_of = ${atSql('opened_on', '09:00')},
       closed_as_of = ${atSql('closed_on + 1', '00:00')}`,
  );
}

/**
 * Loans (w_loan, with their daily rows in w_loan_daily) and credit cards (w_card), one at most of each per
 * customer, numbered as the customer.
 */
async function drawLoansAndCards(
  q: (sql: string, values?: unknown[]) => Promise<unknown>,
  shape: BankShape,
  ws: string,
  windowDays: number,
): Promise<void> {
  const bd = `date ${lit(shape.businessDate)}`;
  // Mortgages (30% of the individuals' loans), consumer loans, corporates' working capital (every borrower has
  // a manager); about 8% matured in the window (settled); five-tier classification mostly normal, the others
  // overdue with unpaid interest.
  await q(
    `CREATE TEMP TABLE w_loan AS
     SELECT o.*, maturity_date <= ${bd} AS settled
     FROM (
       SELECT m.*, (disbursed_on + make_interval(months => months))::date AS maturity_date
       FROM (
         SELECT p.*, greatest(registered_on, (maturity_draw - make_interval(months => months))::date) AS disbursed_on
         FROM (
           SELECT i AS loan_no, 'LN1' || lpad(i::text, 15, '0') AS loan_id, customer_id, outlet_id AS institution_id,
             manager_id, registered_on, k.kind, k.months,
             CASE k.kind WHEN 'mortgage' THEN 'PL-MORTGAGE' WHEN 'consumer' THEN 'PL-CONSUMER' ELSE 'CL-WORKCAP' END AS product_code,
             CASE k.kind WHEN 'mortgage' THEN '个人住房贷款' WHEN 'consumer' THEN '个人消费贷款' ELSE '流动资金贷款' END AS product_name,
             greatest(10000, round(exp(CASE k.kind WHEN 'mortgage' THEN ln(600000) + 0.6 * pg_temp.z(i, 62)
                                                   WHEN 'consumer' THEN ln(80000) + 0.8 * pg_temp.z(i, 62)
                                                   ELSE ln(3000000) + 1.0 * pg_temp.z(i, 62) END)::numeric, -3)) AS principal,
             CASE k.kind WHEN 'mortgage' THEN 0.0395 WHEN 'consumer' THEN 0.0435 ELSE 0.0385 END AS rate,
             pg_temp.u(i, 65) AS class_u,
             CASE WHEN pg_temp.u(i, 66) < 0.12 THEN ${ws} + floor(pg_temp.u(i, 67) * ${windowDays})::int
                  ELSE ${bd} + 1 + floor(pg_temp.u(i, 67) * k.months * 30)::int END AS maturity_draw
           FROM w_customer
           CROSS JOIN LATERAL (SELECT CASE WHEN corporate THEN 'corporate' WHEN pg_temp.u(i, 60) < 0.3 THEN 'mortgage'
                                           ELSE 'consumer' END AS kind) k0
           CROSS JOIN LATERAL (SELECT k0.kind,
             CASE k0.kind WHEN 'mortgage' THEN (ARRAY[240, 300, 360])[1 + floor(pg_temp.u(i, 61) * 3)::int]
                          WHEN 'consumer' THEN (ARRAY[12, 24, 36, 60])[1 + floor(pg_temp.u(i, 61) * 4)::int]
                          ELSE (ARRAY[12, 24, 36])[1 + floor(pg_temp.u(i, 61) * 3)::int] END AS months) k
           WHERE has_loan
         ) p
       ) m
     ) o`,
  );
  await q(
    `ALTER TABLE w_loan ADD COLUMN classification text, ADD COLUMN classified_on date, ADD COLUMN days_overdue int,
       ADD COLUMN interest_unpaid numeric(20,2)`,
  );
  await q(
    `UPDATE w_loan SET
       classification = CASE WHEN settled OR class_u < 0.95 THEN ${lit(LoanClassification.Normal)}
                             WHEN class_u < 0.98 THEN ${lit(LoanClassification.SpecialMention)}
                             WHEN class_u < 0.99 THEN ${lit(LoanClassification.Substandard)}
                             WHEN class_u < 0.996 THEN ${lit(LoanClassification.Doubtful)}
                             ELSE ${lit(LoanClassification.Loss)} END,
       days_overdue = CASE WHEN settled OR class_u < 0.95 THEN 0
                           WHEN class_u < 0.98 THEN 1 + floor(pg_temp.u(loan_no, 68) * 60)::int
                           WHEN class_u < 0.99 THEN 91 + floor(pg_temp.u(loan_no, 68) * 90)::int
                           WHEN class_u < 0.996 THEN 181 + floor(pg_temp.u(loan_no, 68) * 180)::int
                           ELSE 361 + floor(pg_temp.u(loan_no, 68) * 360)::int END`,
  );
  await q(
    `UPDATE w_loan SET classified_on = CASE WHEN days_overdue > 0 THEN ${bd} - days_overdue / 2 ELSE disbursed_on END,
       interest_unpaid = round(principal * rate / 12 * ceil(days_overdue / 30.0), 2)`,
  );
  // Disbursal (the day's first fact), the monthly repayments from the last one before the window (so that the
  // window starts from the right balance) to the business date, and the settlement at maturity.
  await q(
    `CREATE TEMP TABLE w_loan_daily AS
     SELECT loan_no, loan_id, customer_id, disbursed_on AS business_date, principal AS balance,
            ${atSql('disbursed_on', '00:00')} AS as_of, 'disbursed:' || loan_id AS fact_id
       FROM w_loan
     UNION ALL
     SELECT loan_no, loan_id, customer_id, due, round(principal * (months - j) / months, 2),
            ${atSql('due', '10:00')}, 'R' || to_char(due, 'YYYYMMDD') || '88' || lpad(loan_no::text, 11, '0') || lpad(j::text, 3, '0')
       FROM w_loan CROSS JOIN LATERAL generate_series(1, months - 1) j
       CROSS JOIN LATERAL (SELECT (disbursed_on + make_interval(months => j))::date AS due) d
      WHERE due <= ${bd} AND due > ${ws} - interval '1 month'
     UNION ALL
     SELECT loan_no, loan_id, customer_id, maturity_date, 0, ${atSql('maturity_date + 1', '00:00')},
            'settled:' || loan_id
       FROM w_loan WHERE settled`,
  );
  // A card's limit grows with its holder's wealth; its statement states what the last cycle spent.
  await q(
    `CREATE TEMP TABLE w_card AS
     SELECT c.*, ${atSql('statement_on + 1', '00:00')} AS stated_as_of,
            ${atSql("(statement_on - interval '1 month')::date + 1", '00:00')} AS previous_as_of
     FROM (
       SELECT i::bigint AS card_no, 'CC1' || lpad(i::text, 15, '0') AS card_id, customer_id, outlet_id AS institution_id,
         manager_id, leaves_in, 1 + floor(pg_temp.u(i, 70) * 5)::int AS weight,
         (10000 * (1 + floor(pg_temp.u(i, 71) * 5)) + CASE WHEN wealth >= 200000 THEN 50000 ELSE 0 END)::numeric(20,2) AS credit_limit,
         greatest(registered_on, ${bd} - floor(pg_temp.u(i, 72) * 3000)::int) AS issued_on,
         1 + floor(pg_temp.u(i, 73) * 28)::int AS statement_day,
         CASE WHEN pg_temp.u(i, 74) < 0.03 THEN 1 + floor(pg_temp.u(i, 75) * 90)::int ELSE 0 END AS days_overdue
       FROM w_customer WHERE has_card
     ) c
     CROSS JOIN LATERAL (SELECT CASE WHEN date_trunc('month', ${bd})::date + statement_day - 1 <= ${bd}
                                     THEN date_trunc('month', ${bd})::date + statement_day - 1
                                     ELSE (date_trunc('month', ${bd}) - interval '1 month')::date + statement_day - 1
                                END AS statement_on) st`,
  );
}

/**
 * How many entries each demand account gets in `month` (w_count): the month's total split exactly in
 * proportion to activity × the days of the month it was open (a leaver's last month counting double), by the
 * cumulative weights, so the counts add up to `entries` whatever the weights.
 */
async function countEntries(
  q: (sql: string, values?: unknown[]) => Promise<unknown>,
  month: BenchMonth,
  entries: number,
): Promise<void> {
  await q(
    `CREATE TEMP TABLE w_count AS
     WITH e AS (
       SELECT a.account_no, a.account_id, a.customer_id, a.institution_id, a.corporate, a.digital, a.typical,
              a.leaves_in, coalesce(a.leaves_in = $2, false) AS final, greatest(date ${lit(month.from)}, a.opened_on + 1) AS day0, a.weight
         FROM w_account a
        WHERE a.weight > 0 AND a.opened_on + 1 < date ${lit(month.to)} AND (a.leaves_in IS NULL OR a.leaves_in >= $2)
     ), w AS (
       SELECT e.*, date ${lit(month.to)} - day0 AS days,
              (weight * (date ${lit(month.to)} - day0) * CASE WHEN final THEN 200 ELSE 100 END / ${month.days})::bigint AS w
         FROM e
     ), c AS (
       SELECT w.*, sum(w) OVER (ORDER BY account_no)::bigint AS cum, sum(w) OVER ()::bigint AS total FROM w
     )
     SELECT c.account_no, c.account_id, c.customer_id, c.institution_id, c.corporate, c.digital, c.typical,
            c.leaves_in, c.final, c.day0, c.days, cr.balance AS carry,
            ((cum * $1::bigint) / total - ((cum - w) * $1::bigint) / total)::int AS n
       FROM c JOIN w_carry cr USING (account_no)
      WHERE (cum * $1::bigint) / total > ((cum - w) * $1::bigint) / total`,
    [entries, month.index],
  );
}

/** Salts of a month's draws: each month draws afresh for the same account and entry numbers. */
const monthSalt = (month: BenchMonth, draw: number): number => 1000 + month.index * 100 + draw;

/**
 * One chunk of a month's deposit entries ($1..$2: account numbers) into the month's partition, with running
 * balances; the day's last balance of each account into `daily` and the month's last into w_month_end.
 *
 * An account's k-th entry of n falls at ((k - 1 + u) / n) of its open days, between 07:00 and 23:00, so entries
 * come in k's order. Amounts are lognormal around the account's usual amount; debits are scaled down where the
 * balance would go below zero (the smallest factor that keeps every running balance at least 2% above zero,
 * computed from the running sums of credits and raw debits), and truncated to the fen so they never exceed it;
 * a debit that would round to nothing is a credit instead. A leaver's last month is only transfers to other
 * banks, sized to drain the account.
 */
function entriesSql(partition: string, month: BenchMonth, daily: string): string {
  const salt = (draw: number) => monthSalt(month, draw);
  // OFFSET 0 keeps each step a step: otherwise PostgreSQL inlines its expressions into every later use of them.
  return `
    WITH g AS (
      SELECT n.*, k, n.account_no * 4096 + k AS key,
             (k - 1 + pg_temp.u(n.account_no * 4096 + k, ${salt(0)})) / n.n * n.days AS x
        FROM w_count n CROSS JOIN LATERAL generate_series(1, n.n) k
       WHERE n.account_no BETWEEN $1 AND $2 OFFSET 0
    ), d AS (
      SELECT g.*, day0 + floor(x)::int AS business_date,
             ${atSql('day0 + floor(x)::int', '07:00')} + floor((x - floor(x)) * 57600) * interval '1 second' AS booked_at,
             final OR pg_temp.u(key, ${salt(1)}) >= CASE WHEN leaves_in IS NULL THEN 0.5 ELSE 0.45 END AS debit,
             least(1e9, greatest(1, CASE WHEN final THEN greatest(typical, carry::float8 * 2 / n) ELSE typical END
                                    * exp(${TYPICAL_AMOUNT_SIGMA} * pg_temp.z(key, ${salt(2)}))))::numeric AS raw,
             CASE
               WHEN final THEN CASE WHEN digital THEN 'mobile' ELSE 'counter' END
               WHEN corporate THEN CASE WHEN pg_temp.u(key, ${salt(4)}) < 0.55 THEN 'online'
                                        WHEN pg_temp.u(key, ${salt(4)}) < 0.9 THEN 'counter' ELSE 'mobile' END
               WHEN digital THEN CASE WHEN pg_temp.u(key, ${salt(4)}) < 0.5 THEN 'mobile'
                                      WHEN pg_temp.u(key, ${salt(4)}) < 0.6 THEN 'online'
                                      WHEN pg_temp.u(key, ${salt(4)}) < 0.72 THEN 'atm'
                                      WHEN pg_temp.u(key, ${salt(4)}) < 0.84 THEN 'pos' ELSE 'counter' END
               ELSE CASE WHEN pg_temp.u(key, ${salt(4)}) < 0.45 THEN 'counter'
                         WHEN pg_temp.u(key, ${salt(4)}) < 0.75 THEN 'atm' ELSE 'pos' END
             END AS drawn_channel,
             pg_temp.u(key, ${salt(5)}) AS kind_u, pg_temp.u(key, ${salt(6)}) AS other_u,
             pg_temp.u(key, ${salt(7)}) AS bank_u
        FROM g OFFSET 0
    ), r AS (
      SELECT d.*, sum(CASE WHEN debit THEN 0 ELSE round(raw, 2) END) OVER w AS ck,
             sum(CASE WHEN debit THEN raw ELSE 0 END) OVER w AS dk
        FROM d WINDOW w AS (PARTITION BY account_no ORDER BY k)
    ), f AS (
      SELECT r.*, CASE WHEN debit THEN trunc(least(1, 0.98 * min(CASE WHEN dk > 0 THEN (carry + ck) / dk END)
                                                          OVER (PARTITION BY account_no)) * raw, 2) END AS debit_amount
        FROM r
    ), a AS (
      SELECT f.*, coalesce(debit_amount > 0, false) AS is_debit,
             CASE WHEN debit_amount > 0 THEN debit_amount ELSE round(raw, 2) END AS amount
        FROM f
    ), c AS (
      -- A card purchase is a debit: a credit drawn at a terminal is taken at the counter or in the app.
      SELECT a.*, CASE WHEN drawn_channel = 'pos' AND NOT is_debit
                       THEN CASE WHEN digital THEN 'mobile' ELSE 'counter' END ELSE drawn_channel END AS channel
        FROM a
    ), e AS (
      SELECT c.*, is_transfer,
             CASE WHEN is_transfer THEN final OR other_u < CASE WHEN leaves_in IS NULL THEN 0.04 ELSE 0.25 END END AS other_bank,
             carry + sum(CASE WHEN is_debit THEN -amount ELSE amount END) OVER w AS balance_after,
             lead(business_date) OVER w AS next_date,
             'T' || to_char(business_date, 'YYYYMMDD') || lpad(account_no::text, 12, '0') || lpad(k::text, 4, '0') AS transaction_id
        FROM c CROSS JOIN LATERAL (SELECT channel IN ('mobile', 'online')
                                          OR (channel = 'counter' AND (final OR kind_u < 0.3)) AS is_transfer) t
      WINDOW w AS (PARTITION BY account_no ORDER BY k)
    ), days AS (
      INSERT INTO ${daily} (account_no, holding_id, business_date, customer_id, balance, as_of, fact_id)
      SELECT account_no, account_id, business_date, customer_id, balance_after, booked_at, transaction_id
        FROM e WHERE next_date IS DISTINCT FROM business_date
    ), ends AS (
      INSERT INTO w_month_end (account_no, balance, as_of, fact_id)
      SELECT account_no, balance_after, booked_at, transaction_id FROM e WHERE next_date IS NULL
    )
    INSERT INTO ${partition} (source, transaction_id, business_date, holding_id, customer_id, institution_id, direction,
      amount, currency, booked_at, value_date, bank_transaction_code, channel, other_bank, counterparty_bank_code,
      balance_after, reversal_of, merchant_category_code)
    SELECT 'account', transaction_id, business_date, account_id, customer_id, institution_id,
      CASE WHEN is_debit THEN ${lit(CreditDebitIndicator.Debit)} ELSE ${lit(CreditDebitIndicator.Credit)} END,
      amount, 'CNY', booked_at, business_date,
      CASE
        WHEN channel = ${lit(TransactionChannel.Pos)} THEN ${lit(BankTransactionCodes.CardPurchase)}
        WHEN NOT is_transfer THEN CASE WHEN is_debit THEN ${lit(BankTransactionCodes.CashWithdrawal)}
                                       ELSE ${lit(BankTransactionCodes.CashDeposit)} END
        WHEN is_debit THEN CASE WHEN corporate AND kind_u < 0.15 THEN ${lit(BankTransactionCodes.PayrollSent)}
                                ELSE ${lit(BankTransactionCodes.TransferSent)} END
        WHEN NOT corporate AND kind_u < 0.25 THEN ${lit(BankTransactionCodes.SalaryReceived)}
        ELSE ${lit(BankTransactionCodes.TransferReceived)}
      END,
      channel, other_bank,
      CASE WHEN other_bank THEN (${sqlArray(OTHER_BANKS)})[1 + floor(bank_u * ${OTHER_BANKS.length})::int] END,
      balance_after, NULL, NULL
    FROM e`;
}

/**
 * The month's card spends ($1 of them) split over the cards open in it by their activity, the same way as
 * the entries; lognormal around 150 CNY, at most 30% of the limit.
 */
function cardSpendsSql(partition: string, month: BenchMonth): string {
  const salt = (draw: number) => monthSalt(month, 50 + draw);
  return `
    WITH e AS (
      SELECT c.*, greatest(date ${lit(month.from)}, c.issued_on + 1) AS day0
        FROM w_card c
       WHERE c.issued_on + 1 < date ${lit(month.to)} AND (c.leaves_in IS NULL OR c.leaves_in >= ${month.index})
    ), w AS (
      SELECT e.*, date ${lit(month.to)} - day0 AS days, (weight * (date ${lit(month.to)} - day0) * 100 / ${month.days})::bigint AS w
        FROM e
    ), c AS (
      SELECT w.*, sum(w) OVER (ORDER BY card_no)::bigint AS cum, sum(w) OVER ()::bigint AS total FROM w
    ), n AS (
      SELECT c.*, ((cum * $1::bigint) / total - ((cum - w) * $1::bigint) / total)::int AS n FROM c
    ), g AS (
      SELECT n.*, k, n.card_no * 4096 + k AS key, (k - 1 + pg_temp.u(n.card_no * 4096 + k, ${salt(0)})) / n.n * n.days AS x
        FROM n CROSS JOIN LATERAL generate_series(1, n.n) k
    ), d AS (
      SELECT g.*, day0 + floor(x)::int AS business_date,
             ${atSql('day0 + floor(x)::int', '07:00')} + floor((x - floor(x)) * 57600) * interval '1 second' AS booked_at,
             pg_temp.u(key, ${salt(1)}) AS channel_u
        FROM g
    )
    INSERT INTO ${partition} (source, transaction_id, business_date, holding_id, customer_id, institution_id, direction,
      amount, currency, booked_at, value_date, bank_transaction_code, channel, other_bank, counterparty_bank_code,
      balance_after, reversal_of, merchant_category_code)
    SELECT 'card', 'S' || to_char(business_date, 'YYYYMMDD') || lpad(card_no::text, 12, '0') || lpad(k::text, 4, '0'),
      business_date, card_id, customer_id, institution_id, ${lit(CreditDebitIndicator.Debit)},
      least(round(credit_limit * 0.3, 2), greatest(1, round(exp(ln(150) + 1.2 * pg_temp.z(key, ${salt(2)}))::numeric, 2))),
      'CNY', booked_at, NULL, NULL,
      CASE WHEN channel_u < 0.6 THEN ${lit(CardChannel.Pos)} WHEN channel_u < 0.85 THEN ${lit(CardChannel.Online)}
           WHEN channel_u < 0.98 THEN ${lit(CardChannel.Mobile)} ELSE ${lit(CardChannel.Atm)} END,
      NULL, NULL, NULL, NULL,
      (${sqlArray(MERCHANT_CATEGORIES)})[1 + floor(pg_temp.u(key, ${salt(4)}) * ${MERCHANT_CATEGORIES.length})::int]
    FROM d`;
}

/**
 * daily_balance in key order, chunk by chunk (accounts), then the loans: its indexes grow at their ends
 * instead of taking rows all over them month after month.
 */
async function writeDailyBalances(
  q: (sql: string, values?: unknown[]) => Promise<{ rowCount: number | null; rows: unknown[] }>,
  t: (table: string) => string,
  customerChunks: { first: number; last: number }[],
  accountsOf: (chunk: { first: number; last: number }) => number[],
  log: (line: string) => void,
): Promise<void> {
  const staged = await q(
    `SELECT (SELECT count(*) FROM w_account) + (SELECT count(*) FROM w_account WHERE closed_on IS NOT NULL)
       ${customerChunks.map((c) => `+ (SELECT count(*) FROM w_daily_${c.first})`).join(' ')}
       + (SELECT count(*) FROM w_loan_daily) AS n`,
  );
  const progress = new CountProgress('daily_balance', Number((staged.rows[0] as { n: string }).n));
  let written = 0;
  const insert = `INSERT INTO ${t('daily_balance')} (holding_type, holding_id, business_date, customer_id, balance, currency,
      as_of, fact_id)`;
  for (const chunk of customerChunks) {
    const result = await q(
      `${insert}
       SELECT 'account', holding_id, business_date, customer_id, balance, 'CNY', as_of, fact_id FROM (
         SELECT account_id AS holding_id, opened_on AS business_date, customer_id, opening AS balance,
                opened_as_of AS as_of, 'opened:' || account_id AS fact_id
           FROM w_account WHERE account_no BETWEEN $1 AND $2
         UNION ALL
         SELECT holding_id, business_date, customer_id, balance, as_of, fact_id FROM w_daily_${chunk.first}
         UNION ALL
         SELECT account_id, closed_on, customer_id, 0, closed_as_of, 'closed:' || account_id
           FROM w_account WHERE closed_on IS NOT NULL AND account_no BETWEEN $1 AND $2
       ) r ORDER BY holding_id, business_date`,
      accountsOf(chunk),
    );
    written += result.rowCount ?? 0;
    progress.update(written);
  }
  const loans = await q(
    `${insert} SELECT 'loan', loan_id, business_date, customer_id, balance, 'CNY', as_of, fact_id
       FROM w_loan_daily ORDER BY loan_id, business_date`,
  );
  written += loans.rowCount ?? 0;
  progress.update(written);
  progress.done();
  log(`  daily_balance: ${written} rows`);
}

async function countRows(client: Client, s: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WAREHOUSE_TABLES)
    counts[table] = Number(
      ((await client.query(`SELECT count(*) AS n FROM "${s}".${table}`)).rows[0] as { n: string }).n,
    );
  return counts;
}

interface CommandLine {
  schema: string;
  customers: number;
  transactions: number;
  reload: boolean;
  check: boolean;
}

function parseCommandLine(argv: string[]): CommandLine {
  const options: CommandLine = {
    schema: ANALYTICS_BENCH_SCHEMA,
    customers: BENCH_CUSTOMERS,
    transactions: BENCH_TRANSACTIONS,
    reload: false,
    check: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--reload') options.reload = true;
    else if (flag === '--check') options.check = true;
    else if (flag === '--schema') options.schema = argv[(i += 1)] ?? '';
    else if (flag === '--customers' || flag === '--transactions') {
      const value = Number(argv[(i += 1)]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer`);
      options[flag === '--customers' ? 'customers' : 'transactions'] = value;
    } else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(argv: string[]): Promise<void> {
  const options = parseCommandLine(argv);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  await migrateAnalyticsBenchSchema(
    analyticsServiceEnv({
      jwtSecret: randomBytes(24).toString('hex'),
      more: { DATABASE_SCHEMA: options.schema },
    }),
    log,
  );
  const bank = await loadAnalyticsBank({ databaseUrl: ANALYTICS_BENCH_DATABASE_URL, ...options, log });
  const client = new Client({ connectionString: ANALYTICS_BENCH_DATABASE_URL });
  await client.connect();
  try {
    const sizes = await warehouseSizes(client, bank.schema);
    console.log(`schema ${bank.schema}, business date ${bank.businessDate}, fingerprint ${bank.fingerprint}`);
    console.log(`loaded in ${bank.loadSeconds.toFixed(1)} s${bank.loaded ? '' : ' (by an earlier run)'}`);
    for (const [table, rows] of Object.entries(bank.counts))
      console.log(
        `  ${table.padEnd(18)} ${String(rows).padStart(10)} rows  ${mib(sizes[table] ?? 0).padStart(9)}`,
      );
    console.log(`  total ${mib(Object.values(sizes).reduce((a, b) => a + b, 0))}`);
    if (!options.check) return;
    for (const line of await describeAnalyticsBank(client, bank)) console.log(line);
    const results = await checkAnalyticsBank(client, bank);
    for (const r of results)
      console.log(
        `${r.violations === 0 ? 'ok  ' : 'FAIL'} ${r.rule}${r.violations === 0 ? '' : `: ${r.violations}`}`,
      );
    if (results.some((r) => r.violations > 0)) process.exitCode = 1;
  } finally {
    await client.end();
  }
}

if (require.main === module)
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
