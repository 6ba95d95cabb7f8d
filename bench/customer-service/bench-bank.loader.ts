import { Client } from 'pg';
import { FieldCipher } from '@crm/security';
import { BenchCustomer, benchCustomer, customerId, institutions } from './bench-bank.data';

export interface LoadOptions {
  databaseUrl: string;
  /** customer-service's schema, already migrated by the service itself. */
  schema: string;
  customers: number;
  /** Load again even when the schema already holds `customers` customers. */
  reload: boolean;
  cipher: FieldCipher;
  log: (line: string) => void;
}

export interface LoadedBank {
  loaded: boolean;
  counts: Record<string, number>;
}

const BATCH = 5_000;
/** 10 million transactions over a million customers, as issue 12 sizes the bank. */
const TRANSACTIONS_PER_CUSTOMER = 10;
/** Customers whose transactions one statement writes. */
const TRANSACTION_SLICE = 100_000;

/** Tables the loader fills or clears, children first. */
const TABLES = [
  'account_transaction',
  'holding_summary',
  'account',
  'loan',
  'card',
  'coverage_secondary',
  'coverage',
  'customer_tag',
  'consent_history',
  'consent',
  'prospect',
  'customer',
  'institution',
];

/**
 * Fills customer-service's tables directly (bench tools may not import the app), with set-based
 * SQL that writes what the projection would have written from core-banking events: customers in
 * batches (ID and phone numbers FieldCipher-encrypted, with their keyed hashes), then accounts,
 * loans, cards, transactions and holding summaries derived from them in single statements.
 */
export async function loadBenchBank(options: LoadOptions): Promise<LoadedBank> {
  const client = new Client({ connectionString: options.databaseUrl, application_name: 'bench-loader' });
  await client.connect();
  try {
    const s = options.schema;
    const t = (table: string): string => `"${s}".${table}`;
    const present = Number(
      ((await client.query(`SELECT count(*)::int AS n FROM ${t('customer')}`)).rows[0] as { n: number }).n,
    );
    if (present === options.customers && !options.reload) {
      options.log(`schema ${s} already holds ${present} customers: load skipped (--reload forces it)`);
      return { loaded: false, counts: await countRows(client, s) };
    }

    const started = Date.now();
    const step = async (label: string, sql: string, values: unknown[] = []): Promise<void> => {
      const at = Date.now();
      const result = await client.query(sql, values);
      const rows = result.rowCount === null ? '' : `${result.rowCount} rows `;
      options.log(`  ${label}: ${rows}in ${((Date.now() - at) / 1000).toFixed(1)} s`);
    };
    options.log(`loading ${options.customers} customers into schema ${s} (had ${present})`);
    // One transaction: an interrupted load leaves the previous data, never a half-filled schema that a later run would skip.
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${TABLES.map(t).join(', ')}`);
    // Written without their secondary indexes, built once at the end: maintaining them row by row (10 million
    // transactions, a million customers' tiers updated) took most of the load. The definitions are read back
    // from the catalog, so the migrations stay their only source.
    const indexes = (
      await client.query(
        `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
         WHERE i.schemaname = $1 AND i.tablename = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.connamespace = $1::regnamespace)`,
        [s, TABLES],
      )
    ).rows as { name: string; definition: string }[];
    for (const index of indexes) await client.query(`DROP INDEX "${s}"."${index.name}"`);
    // Same balances and dates on every load of the same count.
    await client.query('SELECT setseed(0.42)');

    const tree = institutions();
    await step(
      'institutions',
      `INSERT INTO ${t('institution')} (id, parent_id, name, level, region_code, active, as_of)
       SELECT id, parent_id, name, level, region_code, true, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS i(id, parent_id, name, level, region_code)`,
      [
        tree.map((i) => i.id),
        tree.map((i) => i.parentId),
        tree.map((i) => i.name),
        tree.map((i) => i.level),
        tree.map((i) => i.regionCode),
      ],
    );

    // The next batch is generated and encrypted while Postgres writes the previous one.
    let writing: Promise<void> = Promise.resolve();
    for (let first = 1; first <= options.customers; first += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, options.customers - first + 1) }, (_, i) =>
        benchCustomer(first + i),
      );
      const rows = customerColumns(batch, options.cipher);
      await writing;
      writing = insertCustomers(client, s, rows);
      const done = first + batch.length - 1;
      if (done % (BATCH * 20) !== 0 && done !== options.customers) continue;
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      options.log(`  customers + coverage: ${done}/${options.customers} (${rate.toFixed(0)}/s)`);
    }
    await writing;

    await insertHoldings(step, t, options.customers);
    for (const index of indexes) await step(`index ${index.name}`, index.definition);
    await client.query('COMMIT');
    const analyzeAt = Date.now();
    // VACUUM too: the first reads of freshly written rows would otherwise set their hint bits (writes) during the
    // measured runs, and index-only scans need the visibility map.
    for (const table of TABLES) await client.query(`VACUUM (ANALYZE) ${t(table)}`);
    options.log(`  VACUUM (ANALYZE): ${((Date.now() - analyzeAt) / 1000).toFixed(1)} s`);
    options.log(`loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { loaded: true, counts: await countRows(client, s) };
  } finally {
    await client.end();
  }
}

/** One batch as the insert statements' column arrays, ID and phone numbers encrypted and hashed. */
function customerColumns(
  batch: BenchCustomer[],
  cipher: FieldCipher,
): { customer: unknown[]; coverage: unknown[]; secondary: unknown[] } {
  const column = <T>(pick: (c: BenchCustomer) => T): T[] => batch.map(pick);
  const covered = batch.filter((c) => c.secondary);
  return {
    customer: [
      column((c) => c.id),
      column((c) => c.kind),
      column((c) => c.name),
      column((c) => c.gender),
      column((c) => c.birthDate),
      column((c) => c.industry),
      column((c) => c.regionCode),
      column((c) => c.homeInstitutionId),
      column((c) => cipher.encrypt(c.idNumber)),
      column((c) => cipher.blindIndex(c.idNumber, 'id-number')),
      column((c) => cipher.encrypt(c.phone)),
      column((c) => cipher.blindIndex(c.phone, 'phone')),
      column((c) => c.registeredOn),
      column((c) => c.lifecycleStage),
    ],
    coverage: [
      column((c) => c.id),
      column((c) => c.homeInstitutionId),
      column((c) => c.primaryManagerId),
      column((c) => c.privateBankerId),
      column((c) => c.keyCustomer),
    ],
    secondary: [
      covered.map((c) => c.id),
      covered.map((c) => c.secondary?.institutionId),
      covered.map((c) => c.secondary?.managerId),
    ],
  };
}

async function insertCustomers(
  client: Client,
  s: string,
  rows: ReturnType<typeof customerColumns>,
): Promise<void> {
  await client.query(
    `INSERT INTO "${s}".customer (id, kind, name, gender, birth_date, industry, region_code, home_institution_id,
       id_number_enc, id_number_hash, phone_enc, phone_hash, registered_on, lifecycle_stage, profile_as_of)
     SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::date[], $14::text[])`,
    rows.customer,
  );
  await client.query(
    `INSERT INTO "${s}".coverage (customer_id, version, primary_institution_id, primary_manager_id,
       private_banker_id, key_customer, changed_at)
     SELECT id, 1, inst, mgr, banker, key, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[]) AS v(id, inst, mgr, banker, key)`,
    rows.coverage,
  );
  await client.query(
    `INSERT INTO "${s}".coverage_secondary (customer_id, institution_id, manager_id, reason)
     SELECT id, inst, mgr, 'deposit' FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, inst, mgr)`,
    rows.secondary,
  );
}

/** Log-uniform amount between e^low and e^high, as numeric(20,2): most balances small, a few large. */
const amount = (low: number, high: number): string =>
  `round(exp(${low} + random() * ${high - low})::numeric, 2)`;

async function insertHoldings(
  step: (label: string, sql: string) => Promise<void>,
  t: (table: string) => string,
  customers: number,
): Promise<void> {
  const seq = `substr(c.id, 2)`;
  const from = `FROM ${t('customer')} c JOIN ${t('coverage')} cv ON cv.customer_id = c.id`;
  await step(
    'settlement accounts (every customer, primary outlet)',
    `INSERT INTO ${t('account')} (id, customer_id, institution_id, kind, product_code, product_name, status, opened_on,
       manager_id, balance, balance_as_of)
     SELECT 'SA' || ${seq}, c.id, cv.primary_institution_id,
       CASE c.kind WHEN 'corporate' THEN 'current' ELSE 'savings' END,
       CASE c.kind WHEN 'corporate' THEN 'CA-CORP' ELSE 'SA-PLUS' END,
       CASE c.kind WHEN 'corporate' THEN '对公结算账户' ELSE '活期储蓄' END,
       'active', c.registered_on, cv.primary_manager_id,
       CASE c.kind WHEN 'corporate' THEN ${amount(9, 16)} ELSE ${amount(5, 13)} END, now()
     ${from}`,
  );
  await step(
    'time deposits (about 35%)',
    `INSERT INTO ${t('account')} (id, customer_id, institution_id, kind, product_code, product_name, status, opened_on,
       maturity_date, manager_id, balance, balance_as_of)
     SELECT 'TD' || ${seq}, c.id, cv.primary_institution_id, 'time-deposit', p.code, p.name, 'active',
       current_date - (random() * 700)::int, current_date + (random() * 365)::int, cv.primary_manager_id,
       ${amount(9, 15)}, now()
     ${from} CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.6 THEN 'TD-12M' ELSE 'TD-36M' END AS code) pc
     CROSS JOIN LATERAL (SELECT pc.code AS code, CASE pc.code WHEN 'TD-12M' THEN '一年期定期存款' ELSE '三年期定期存款' END AS name) p
     WHERE random() < 0.35`,
  );
  await step(
    'wealth products (about 18%)',
    `INSERT INTO ${t('account')} (id, customer_id, institution_id, kind, product_code, product_name, status, opened_on,
       maturity_date, manager_id, balance, balance_as_of)
     SELECT 'WM' || ${seq}, c.id, cv.primary_institution_id, 'wealth-product', 'WM-6M', '稳健理财6个月', 'active',
       current_date - (random() * 180)::int, current_date + (random() * 180)::int, cv.primary_manager_id,
       ${amount(10, 15.5)}, now()
     ${from} WHERE random() < 0.18`,
  );
  await step(
    'savings at the secondary institution (every 协办 coverage)',
    `INSERT INTO ${t('account')} (id, customer_id, institution_id, kind, product_code, product_name, status, opened_on,
       manager_id, balance, balance_as_of)
     SELECT 'SB' || substr(cs.customer_id, 2), cs.customer_id, cs.institution_id, 'savings', 'SA-PLUS', '活期储蓄',
       'active', current_date - (random() * 2000)::int, cs.manager_id, ${amount(6, 13)}, now()
     FROM ${t('coverage_secondary')} cs`,
  );
  await step(
    'loans (about 15%, 3% of them overdue)',
    `INSERT INTO ${t('loan')} (id, customer_id, institution_id, manager_id, product_code, product_name, principal,
       outstanding, status, classification, disbursed_on, maturity_date, interest_rate, days_overdue, overdue_amount,
       outstanding_as_of)
     SELECT 'LN' || ${seq}, c.id, cv.primary_institution_id, cv.primary_manager_id, p.code, p.name, l.principal,
       round(l.principal * (0.2 + random() * 0.8)::numeric, 2), CASE WHEN l.overdue THEN 'overdue' ELSE 'active' END,
       CASE WHEN l.overdue THEN 'special-mention' ELSE 'normal' END,
       current_date - (random() * 1500)::int, current_date + (30 + random() * 3000)::int, '3.85',
       CASE WHEN l.overdue THEN 1 + (random() * 89)::int ELSE 0 END,
       CASE WHEN l.overdue THEN round(l.principal * 0.01, 2) ELSE 0 END, now()
     ${from}
     CROSS JOIN LATERAL (SELECT ${amount(10, 15)} AS principal, random() < 0.03 AS overdue, random() AS pick) l
     CROSS JOIN LATERAL (SELECT
       CASE WHEN c.kind = 'corporate' THEN 'CL-WORKCAP' WHEN l.pick < 0.3 THEN 'PL-MORTGAGE' ELSE 'PL-CONSUMER' END AS code,
       CASE WHEN c.kind = 'corporate' THEN '流动资金贷款' WHEN l.pick < 0.3 THEN '个人住房贷款' ELSE '个人消费贷款' END AS name) p
     WHERE random() < 0.15`,
  );
  await step(
    'credit cards (about 30% of individuals, 4% of them overdue)',
    `INSERT INTO ${t('card')} (id, customer_id, institution_id, manager_id, product_code, product_name,
       masked_card_number, credit_limit, status, issued_on, statement_date, due_date, statement_balance,
       outstanding_balance, days_overdue, balance_as_of)
     SELECT 'CC' || ${seq}, c.id, cv.primary_institution_id, cv.primary_manager_id,
       CASE WHEN k.credit_limit >= 50000 THEN 'CC-GOLD' ELSE 'CC-STD' END,
       CASE WHEN k.credit_limit >= 50000 THEN '金卡' ELSE '标准卡' END,
       '625836******' || lpad((random() * 9999)::int::text, 4, '0'), k.credit_limit,
       CASE WHEN k.overdue THEN 'overdue' ELSE 'active' END, c.registered_on,
       date_trunc('month', current_date)::date + 4, date_trunc('month', current_date)::date + 24,
       k.spent, k.spent, CASE WHEN k.overdue THEN 1 + (random() * 60)::int ELSE 0 END, now()
     ${from}
     CROSS JOIN LATERAL (SELECT (10000 * (1 + (random() * 9)::int))::numeric(20,2) AS credit_limit,
       random() < 0.04 AS overdue) kl
     CROSS JOIN LATERAL (SELECT kl.credit_limit, kl.overdue, round(kl.credit_limit * random()::numeric * 0.6, 2) AS spent) k
     WHERE c.kind = 'individual' AND random() < 0.3`,
  );
  // In slices of customers: one statement of 10 million rows would run for minutes without a word.
  for (let first = 1; first <= customers; first += TRANSACTION_SLICE) {
    const last = Math.min(customers, first + TRANSACTION_SLICE - 1);
    await step(
      `transactions (${TRANSACTIONS_PER_CUSTOMER} per customer on the settlement account, last 120 days): customers ${first}-${last} of ${customers}`,
      `INSERT INTO ${t('account_transaction')} (id, account_id, customer_id, institution_id, direction, amount, currency,
         booked_at, bank_transaction_code, channel, balance_after)
       SELECT 'T' || substr(a.id, 3) || '-' || n, a.id, a.customer_id, a.institution_id,
         CASE WHEN random() < 0.5 THEN 'CRDT' ELSE 'DBIT' END, ${amount(3, 10)}, 'CNY',
         now() - random() * interval '120 days', 'PMNT-RCDT-ESCT',
         (ARRAY['mobile', 'counter', 'atm', 'online'])[1 + (random() * 3)::int], a.balance
       FROM ${t('account')} a CROSS JOIN generate_series(1, ${TRANSACTIONS_PER_CUSTOMER}) n
       WHERE a.id LIKE 'SA%' AND a.customer_id BETWEEN '${customerId(first)}' AND '${customerId(last)}'`,
    );
  }
  // The same figures refreshSummary() in the projection computes per customer and institution.
  await step(
    'holding summaries',
    `INSERT INTO ${t('holding_summary')} (customer_id, institution_id, deposits, wealth, loans, cards, product_codes,
       product_kinds, card_statuses, last_transaction_at)
     SELECT h.customer_id, h.institution_id, sum(h.deposits), sum(h.wealth), sum(h.loans), sum(h.cards),
       COALESCE(array_agg(DISTINCT h.code ORDER BY h.code) FILTER (WHERE h.code IS NOT NULL), '{}'),
       COALESCE(array_agg(DISTINCT h.kind ORDER BY h.kind) FILTER (WHERE h.kind IS NOT NULL), '{}'),
       COALESCE(array_agg(DISTINCT h.card_status ORDER BY h.card_status) FILTER (WHERE h.card_status IS NOT NULL), '{}'),
       max(tx.last_at)
     FROM (
       SELECT customer_id, institution_id,
         CASE WHEN kind IN ('current', 'savings', 'time-deposit') THEN balance ELSE 0 END AS deposits,
         CASE WHEN kind = 'wealth-product' THEN balance ELSE 0 END AS wealth, 0 AS loans, 0 AS cards,
         product_code AS code, kind, NULL::text AS card_status
       FROM ${t('account')} WHERE status <> 'closed'
       UNION ALL SELECT customer_id, institution_id, 0, 0, outstanding, 0, product_code, 'loan', NULL
       FROM ${t('loan')} WHERE status <> 'settled'
       UNION ALL SELECT customer_id, institution_id, 0, 0, 0, GREATEST(outstanding_balance, 0), product_code,
         'credit-card', status
       FROM ${t('card')}
     ) h
     LEFT JOIN (SELECT customer_id, institution_id, max(booked_at) AS last_at FROM ${t('account_transaction')}
                GROUP BY customer_id, institution_id) tx
       ON tx.customer_id = h.customer_id AND tx.institution_id = h.institution_id
     GROUP BY h.customer_id, h.institution_id`,
  );
  await step(
    'value tiers from AUM',
    `UPDATE ${t('customer')} c SET value_tier = CASE WHEN v.aum >= 5000000 THEN 'top' WHEN v.aum >= 500000 THEN 'important'
       WHEN v.aum >= 50000 THEN 'potential' ELSE 'standard' END
     FROM (SELECT customer_id, sum(deposits + wealth) AS aum FROM ${t('holding_summary')} GROUP BY customer_id) v
     WHERE v.customer_id = c.id`,
  );
}

async function countRows(client: Client, s: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'institution',
    'customer',
    'coverage_secondary',
    'account',
    'loan',
    'card',
    'account_transaction',
  ]) {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${s}".${table}`);
    counts[table] = (rows[0] as { n: number }).n;
  }
  return counts;
}
