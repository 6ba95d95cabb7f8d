import { Client } from 'pg';
import { factsByMonth } from './analytics-bank.shape';
import type { AnalyticsBank } from './analytics-bank.loader';

/** One consistency rule of the loaded bank and the rows that break it (0 when it holds). */
export interface CheckResult {
  rule: string;
  violations: number;
}

/**
 * The loaded bank checked against the rules the service keeps (balances/daily-balance.rule.ts) and the shape
 * it was loaded for: a few minutes at full size (every fact is read and sorted).
 */
export async function checkAnalyticsBank(client: Client, bank: AnalyticsBank): Promise<CheckResult[]> {
  const t = (table: string) => `"${bank.schema}".${table}`;
  const rules: [string, string][] = [
    [
      "each account's current balance is its last daily balance (value, instant and fact)",
      `SELECT count(*) FROM ${t('account')} a FULL JOIN (
         SELECT DISTINCT ON (holding_id) holding_id, balance, as_of, fact_id FROM ${t('daily_balance')}
          WHERE holding_type = 'account' ORDER BY holding_id, business_date DESC) l ON l.holding_id = a.account_id
        WHERE (a.balance, a.balance_as_of, a.balance_fact_id) IS DISTINCT FROM (l.balance, l.as_of, l.fact_id)`,
    ],
    [
      "each loan's current balance is its last daily balance",
      `SELECT count(*) FROM ${t('loan')} a FULL JOIN (
         SELECT DISTINCT ON (holding_id) holding_id, balance, as_of, fact_id FROM ${t('daily_balance')}
          WHERE holding_type = 'loan' ORDER BY holding_id, business_date DESC) l ON l.holding_id = a.loan_id
        WHERE (a.balance, a.balance_as_of, a.balance_fact_id) IS DISTINCT FROM (l.balance, l.as_of, l.fact_id)`,
    ],
    [
      "each account daily balance is the account's opening or closing on its date, or an entry of that day",
      `SELECT count(*) FROM ${t('daily_balance')} d
        WHERE d.holding_type = 'account' AND NOT (
          EXISTS (SELECT 1 FROM ${t('account')} a WHERE a.account_id = d.holding_id
                   AND ((d.fact_id = 'opened:' || a.account_id AND d.business_date = a.opened_on)
                     OR (d.fact_id = 'closed:' || a.account_id AND d.business_date = a.closed_on AND d.balance = 0)))
          OR EXISTS (SELECT 1 FROM ${t('transaction_fact')} f
                      WHERE f.source = 'account' AND f.transaction_id = d.fact_id AND f.business_date = d.business_date
                        AND f.holding_id = d.holding_id AND f.booked_at = d.as_of AND f.balance_after = d.balance))`,
    ],
    [
      "each account's day with entries has its daily balance from the day's last entry",
      `SELECT count(*) FROM (
         SELECT DISTINCT ON (holding_id, business_date) holding_id, business_date, transaction_id
           FROM ${t('transaction_fact')} WHERE source = 'account'
          ORDER BY holding_id, business_date, booked_at DESC, transaction_id COLLATE "C" DESC) l
       LEFT JOIN ${t('daily_balance')} d
         ON d.holding_type = 'account' AND d.holding_id = l.holding_id AND d.business_date = l.business_date
        WHERE d.fact_id IS DISTINCT FROM l.transaction_id`,
    ],
    [
      "each entry's balance after is the previous balance (entry or opening) plus or minus its amount, never below zero",
      `SELECT count(*) FROM (
         SELECT balance, amount, direction, lag(balance) OVER (PARTITION BY holding_id ORDER BY at, id) AS previous, kind
           FROM (SELECT holding_id, balance_after AS balance, amount, direction, booked_at AS at,
                        transaction_id COLLATE "C" AS id, 'entry' AS kind
                   FROM ${t('transaction_fact')} WHERE source = 'account'
                 UNION ALL
                 SELECT holding_id, balance, 0, NULL, as_of, fact_id COLLATE "C", 'opening' FROM ${t('daily_balance')}
                  WHERE holding_type = 'account' AND fact_id LIKE 'opened:%') x) y
        WHERE kind = 'entry' AND (previous IS NULL OR balance < 0
           OR balance <> previous + CASE direction WHEN 'CRDT' THEN amount ELSE -amount END)`,
    ],
    ['every amount is positive', `SELECT count(*) FROM ${t('transaction_fact')} WHERE amount <= 0`],
    [
      "each card's outstanding balance is its statement plus the spends posted after it",
      `SELECT count(*) FROM ${t('card')} c
        WHERE c.outstanding_balance <> coalesce(c.stated_balance, 0) + (
          SELECT coalesce(sum(f.amount), 0) FROM ${t('transaction_fact')} f
           WHERE f.source = 'card' AND f.holding_id = c.card_id AND f.booked_at > c.stated_as_of)`,
    ],
    [
      'coverage names existing customers, outlets and managers',
      `SELECT count(*) FROM ${t('coverage')} c
        WHERE NOT EXISTS (SELECT 1 FROM ${t('customer')} x WHERE x.customer_id = c.customer_id)
           OR NOT EXISTS (SELECT 1 FROM ${t('institution')} i WHERE i.institution_id = c.primary_institution_id)
           OR (c.primary_manager_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM ${t('manager')} m WHERE m.manager_id = c.primary_manager_id
                  AND m.institution_id = c.primary_institution_id))
           OR (c.private_banker_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM ${t('manager')} m WHERE m.manager_id = c.private_banker_id))
           OR EXISTS (SELECT 1 FROM jsonb_array_elements(c.secondary) s
                       WHERE NOT EXISTS (SELECT 1 FROM ${t('manager')} m WHERE m.manager_id = s->>'managerId'
                                          AND m.institution_id = s->>'institutionId'))`,
    ],
    [
      "holdings and facts name existing customers and the holding's institution",
      `SELECT (SELECT count(*) FROM ${t('account')} a
                WHERE NOT EXISTS (SELECT 1 FROM ${t('customer')} c WHERE c.customer_id = a.customer_id))
            + (SELECT count(*) FROM ${t('transaction_fact')} f LEFT JOIN ${t('account')} a ON a.account_id = f.holding_id
                LEFT JOIN ${t('card')} c ON c.card_id = f.holding_id
                WHERE (f.customer_id, f.institution_id) IS DISTINCT FROM (a.customer_id, a.institution_id)
                  AND (f.customer_id, f.institution_id) IS DISTINCT FROM (c.customer_id, c.institution_id))`,
    ],
    [
      'no fact before its holding was opened or issued, after it closed, or after the business date',
      `SELECT count(*) FROM ${t('transaction_fact')} f LEFT JOIN ${t('account')} a ON a.account_id = f.holding_id
         LEFT JOIN ${t('card')} c ON c.card_id = f.holding_id
        WHERE f.business_date <= coalesce(a.opened_on, c.issued_on) OR f.business_date > coalesce(a.closed_on, $1::date)
           OR f.business_date > $1::date`,
    ],
  ];
  const results: CheckResult[] = [];
  for (const [rule, sql] of rules) {
    const values = sql.includes('$1') ? [bank.businessDate] : [];
    results.push({ rule, violations: Number((await client.query(sql, values)).rows[0].count ?? 0) });
  }
  results.push(...(await checkPartitions(client, bank)));
  return results;
}

/** Every month's partition attached, holding its month's facts only, as many as the shape gives it. */
async function checkPartitions(client: Client, bank: AnalyticsBank): Promise<CheckResult[]> {
  const attached = new Map(
    (
      (
        await client.query(
          `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE n.nspname = $1 AND p.relname = 'transaction_fact'`,
          [bank.schema],
        )
      ).rows as { name: string; bound: string }[]
    ).map((r) => [r.name, r.bound]),
  );
  const results: CheckResult[] = [];
  for (const { month, entries, cardSpends } of factsByMonth(bank.shape)) {
    const bound = `FOR VALUES FROM ('${month.from}') TO ('${month.to}')`;
    const { rows } = await client.query(
      `SELECT count(*) FILTER (WHERE business_date < $1 OR business_date >= $2) AS outside,
              count(*) FILTER (WHERE source = 'account') AS entries, count(*) FILTER (WHERE source = 'card') AS spends
         FROM "${bank.schema}"."${month.partition}"`,
      [month.from, month.to],
    );
    const row = rows[0] as { outside: string; entries: string; spends: string };
    results.push({
      rule: `${month.partition} is attached ${bound} and holds its ${entries} entries and ${cardSpends} card spends only`,
      violations:
        (attached.get(month.partition) === bound ? 0 : 1) +
        Number(row.outside) +
        Math.abs(Number(row.entries) - entries) +
        Math.abs(Number(row.spends) - cardSpends),
    });
  }
  results.push({
    rule: `transaction_fact has the ${bank.months.length} months' partitions only`,
    violations: Math.abs(attached.size - bank.months.length),
  });
  return results;
}

/** Bytes per warehouse table, indexes and TOAST included (transaction_fact: its partitions together). */
export async function warehouseSizes(client: Client, schema: string): Promise<Record<string, number>> {
  const { rows } = await client.query(
    `SELECT c.relname AS name,
            CASE WHEN c.relkind = 'p'
                 THEN (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree(c.oid::regclass))
                 ELSE pg_total_relation_size(c.oid) END AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname = ANY($2)`,
    [
      schema,
      [
        'customer',
        'institution',
        'manager',
        'coverage',
        'coverage_history',
        'account',
        'loan',
        'card',
        'transaction_fact',
        'daily_balance',
      ],
    ],
  );
  return Object.fromEntries(
    (rows as { name: string; bytes: string }[]).map((r) => [r.name, Number(r.bytes)]),
  );
}

/** What the bank looks like: shares the benchmark's figures depend on (AUM tiers, channels, activity). */
export async function describeAnalyticsBank(client: Client, bank: AnalyticsBank): Promise<string[]> {
  const t = (table: string) => `"${bank.schema}".${table}`;
  const lines: string[] = [];
  const table = async (title: string, sql: string) => {
    const { rows } = await client.query(sql);
    lines.push(
      `${title}: ${(rows as Record<string, unknown>[]).map((r) => Object.values(r).join(' ')).join(', ')}`,
    );
  };
  await table(
    'customers by AUM at the business date (CNY, share)',
    `SELECT bucket, round(100.0 * count(*) / sum(count(*)) OVER (), 2) || '%' AS share FROM (
       SELECT CASE WHEN aum < 50000 THEN '1 <50k' WHEN aum < 500000 THEN '2 50k-500k' WHEN aum < 1000000 THEN '3 500k-1M'
                   WHEN aum < 5000000 THEN '4 1M-5M' ELSE '5 >=5M' END AS bucket
         FROM (SELECT c.customer_id, coalesce(sum(a.balance), 0) AS aum FROM ${t('customer')} c
                 LEFT JOIN ${t('account')} a ON a.customer_id = c.customer_id AND a.status <> 'closed'
                GROUP BY c.customer_id) x) y
      GROUP BY bucket ORDER BY bucket`,
  );
  await table('customers by kind', `SELECT kind, count(*) FROM ${t('customer')} GROUP BY kind ORDER BY kind`);
  await table(
    'accounts by kind and status',
    `SELECT kind || '/' || status AS holding, count(*) FROM ${t('account')} GROUP BY kind, status ORDER BY 1`,
  );
  await table('loans by status', `SELECT status, count(*) FROM ${t('loan')} GROUP BY status ORDER BY 1`);
  await table(
    'loans by classification',
    `SELECT classification, count(*) FROM ${t('loan')} GROUP BY classification ORDER BY 2 DESC`,
  );
  await table('cards by status', `SELECT status, count(*) FROM ${t('card')} GROUP BY status ORDER BY 1`);
  await table(
    'facts by source, direction and channel (share)',
    `SELECT source || '/' || direction || '/' || coalesce(channel, '-') AS fact,
            round(100.0 * count(*) / sum(count(*)) OVER (), 2) || '%' AS share
       FROM ${t('transaction_fact')} GROUP BY source, direction, channel ORDER BY count(*) DESC`,
  );
  await table(
    'entries to or from other banks (share of entries)',
    `SELECT round(100.0 * count(*) FILTER (WHERE other_bank) / count(*), 2) || '%'
       FROM ${t('transaction_fact')} WHERE source = 'account'`,
  );
  await table(
    'entry amounts (CNY: p10, median, p90, p99)',
    `SELECT percentile_disc(ARRAY[0.1, 0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY amount)
       FROM ${t('transaction_fact')} WHERE source = 'account'`,
  );
  await table(
    'customers by entries in the last 90 days',
    `SELECT bucket, count(*) FROM (
       SELECT CASE WHEN n = 0 THEN 'none' WHEN n < 3 THEN '1-2' WHEN n < 10 THEN '3-9' WHEN n < 30 THEN '10-29'
                   ELSE '30+' END AS bucket, least(n, 30) AS rank
         FROM (SELECT c.customer_id, count(f.*) AS n FROM ${t('customer')} c
                 LEFT JOIN ${t('transaction_fact')} f ON f.customer_id = c.customer_id AND f.source = 'account'
                  AND f.business_date > date '${bank.businessDate}' - 90
                GROUP BY c.customer_id) x) y
      GROUP BY bucket ORDER BY min(rank)`,
  );
  return lines;
}
