import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { freePort } from '@crm/testing';
import { startNodeApp } from '../lib';

/** Kept between runs: loading a million customers takes a while. */
export const BENCH_SCHEMA = 'bench_campaign';
export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_HEAD_OFFICE = 'HO';

/**
 * Fixed keys, not secrets: the schema is kept between runs, and a later run's service must read what an
 * earlier one wrote with them (its key fingerprint check refuses any other).
 */
const benchKey = (purpose: string): string =>
  createHash('sha256').update(`bank-crm campaign benchmark ${purpose}`).digest('base64');

/** campaign-service's environment in a benchmark: the bench schema and keys, its own Redis prefix, a free gRPC port. */
export async function campaignServiceEnv(options: {
  redisPrefix: string;
  jwtSecret: string;
  dispatchIntervalMs: number;
  more?: Record<string, string>;
}): Promise<Record<string, string>> {
  return {
    DATABASE_URL: BENCH_DATABASE_URL,
    DATABASE_SCHEMA: BENCH_SCHEMA,
    REDIS_URL: BENCH_REDIS_URL,
    REDIS_KEY_PREFIX: options.redisPrefix,
    GRPC_PORT: String(await freePort()),
    KAFKA_TOPIC_PREFIX: 'bench.campaign-service.',
    JWT_SECRET: options.jwtSecret,
    PII_ENCRYPTION_KEY: benchKey('pii encryption'),
    PII_HASH_KEY: benchKey('pii hash'),
    DISPATCH_INTERVAL_MS: String(options.dispatchIntervalMs),
    ...options.more,
  };
}

/** Starts campaign-service once so that it migrates the bench schema, and stops it. */
export async function migrateBenchSchema(
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  log('starting campaign-service once to migrate its schema...');
  const migrating = await startNodeApp({
    name: 'campaign-service',
    entry: 'apps/campaign-service/src/main.ts',
    env,
  });
  await migrating.stop();
}
const BRANCHES = 4;
const OUTLETS_PER_BRANCH = 5;
/** Customers sharing one mobile number (a family): the per-number caps have something to do. */
const CUSTOMERS_PER_PHONE = 3;

export const outletOf = (i: number): string => {
  const outlets = BRANCHES * OUTLETS_PER_BRANCH;
  const outlet = i % outlets;
  return `OUT-${Math.floor(outlet / OUTLETS_PER_BRANCH)}-${outlet % OUTLETS_PER_BRANCH}`;
};

export const customerIdOf = (i: number): string => `C${String(100_000_000_000 + i)}`;

export interface BenchBank {
  customers: number;
  /** Rows per table, for the report. */
  counts: Record<string, number>;
}

/**
 * campaign-service's projections for `customers` customers straight into its schema (migrated by the service):
 * the institution tree (a head office, 4 branches, 20 outlets), a manager per outlet, coverage, contact
 * points (three customers to a number) and holdings (a third hold a 12-month time deposit). Kept between
 * runs: loaded again only when the schema holds another size or `reload`.
 */
export async function loadBenchCampaignBank(options: {
  databaseUrl: string;
  schema: string;
  customers: number;
  reload: boolean;
  log: (line: string) => void;
}): Promise<BenchBank> {
  const { schema: s, customers } = options;
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const count = async (table: string) =>
      Number((await client.query(`SELECT count(*) AS n FROM "${s}".${table}`)).rows[0].n);
    if (!options.reload && (await count('coverage')) === customers) {
      options.log(`bench bank of ${customers} customers already loaded in ${s}`);
    } else {
      const started = Date.now();
      for (const table of [
        'conversion',
        'contact',
        'offer_decision',
        'target',
        'campaign_transition',
        'campaign',
      ])
        await client.query(`TRUNCATE "${s}".${table} CASCADE`);
      for (const table of [
        'holding',
        'contact_point',
        'coverage',
        'manager',
        'institution',
        'contact_policy',
      ])
        await client.query(`TRUNCATE "${s}".${table}`);
      await client.query(
        `INSERT INTO "${s}".institution VALUES ($1, NULL, 'head-office', 'head office', true)`,
        [BENCH_HEAD_OFFICE],
      );
      for (let b = 0; b < BRANCHES; b += 1) {
        await client.query(`INSERT INTO "${s}".institution VALUES ($1, $2, 'branch', $1, true)`, [
          `BR-${b}`,
          BENCH_HEAD_OFFICE,
        ]);
        for (let o = 0; o < OUTLETS_PER_BRANCH; o += 1) {
          const outlet = `OUT-${b}-${o}`;
          await client.query(`INSERT INTO "${s}".institution VALUES ($1, $2, 'outlet', $1, true)`, [
            outlet,
            `BR-${b}`,
          ]);
          await client.query(`INSERT INTO "${s}".manager VALUES ($1, $2, '{relationship-manager}', true)`, [
            `M-${outlet}`,
            outlet,
          ]);
        }
      }
      const chunk = 100_000;
      const outlets = BRANCHES * OUTLETS_PER_BRANCH;
      for (let from = 0; from < customers; from += chunk) {
        const to = Math.min(customers, from + chunk);
        const id = `'C' || (100000000000 + i)::text`;
        const outlet = `'OUT-' || ((i % ${outlets}) / ${OUTLETS_PER_BRANCH})::text || '-' || ((i % ${outlets}) % ${OUTLETS_PER_BRANCH})::text`;
        await client.query(
          `INSERT INTO "${s}".coverage (customer_id, version, primary_institution_id, primary_manager_id, changed_at)
           SELECT ${id}, 1, ${outlet}, 'M-' || ${outlet}, now() FROM generate_series($1::int, $2::int - 1) AS i`,
          [from, to],
        );
        await client.query(
          `INSERT INTO "${s}".contact_point (customer_id, phone_hash, updated_at)
           SELECT ${id}, md5('phone' || (i / ${CUSTOMERS_PER_PHONE})::text), now() FROM generate_series($1::int, $2::int - 1) AS i`,
          [from, to],
        );
        await client.query(
          `INSERT INTO "${s}".holding (customer_id, product_code, opened_at)
           SELECT ${id}, 'TD-12M', now() - interval '400 days' FROM generate_series($1::int, $2::int - 1) AS i WHERE i % 3 = 0`,
          [from, to],
        );
        options.log(
          `  projections: ${to}/${customers} customers (${Math.round(to / ((Date.now() - started) / 1000))}/s)`,
        );
      }
      await client.query(`ANALYZE "${s}".coverage; ANALYZE "${s}".contact_point; ANALYZE "${s}".holding`);
    }
    const counts: Record<string, number> = {};
    for (const table of ['institution', 'manager', 'coverage', 'contact_point', 'holding'])
      counts[table] = await count(table);
    return { customers, counts };
  } finally {
    await client.end();
  }
}

/**
 * The contact counters under `prefix`: a run whose ledger starts empty needs an earlier run's gone, and a
 * run leaves none behind.
 */
export async function wipeCounters(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
