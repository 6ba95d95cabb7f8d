import { SqlParams } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { customerScopeColumns, holdingVisibleSql } from '../scope/customer-scope';
import { CustomerSearchFilterDto, ProductCriteriaDto } from './search-filter.dto';

export interface SqlStatement {
  text: string;
  values: unknown[];
}

export interface SearchPage {
  /** Rows to return; the statement asks for one more to know whether another page follows. */
  limit: number;
  afterCustomerId?: string;
}

/**
 * What each row carries: everything a result page or the CSV export shows, or the customer id and its
 * primary institution alone (a target list), which spares the holdings sums unless a filter needs them.
 */
export type SearchColumns = 'row' | 'ids';

/** Keyed hash of an exact-match value (FieldCipher.blindIndex). */
export type BlindIndex = (value: string, kind: 'id-number' | 'phone') => string;

/** The columns every search row carries (CSV export and the result page read the same ones). */
const SELECT_COLUMNS = `c.id, c.kind, c.name, c.gender, c.birth_date::text AS birth_date, c.region_code,
  c.home_institution_id, c.id_number_enc, c.phone_enc, c.value_tier, c.lifecycle_stage,
  cv.primary_institution_id, cv.primary_manager_id, COALESCE(cv.key_customer, false) AS key_customer,
  v.deposits::text AS deposits, v.wealth::text AS wealth, v.loans::text AS loans, v.cards::text AS cards,
  v.last_transaction_at`;
const ID_COLUMNS = 'c.id, cv.primary_institution_id';

/**
 * One SQL statement for one page of a customer search: the caller's data scope is part of the
 * WHERE clause, amounts are the holdings the caller may see, and pages follow the customer id (keyset).
 */
export function buildSearchQuery(
  schema: string,
  filter: CustomerSearchFilterDto,
  scope: DataScope,
  blindIndex: BlindIndex,
  /** The bank's business date, for ages and maturities. */
  today: string,
  page?: SearchPage,
  columns: SearchColumns = 'row',
): SqlStatement {
  const params = new SqlParams();
  let todaySql: string | undefined;
  const todayParam = () => (todaySql ??= `${params.add(today)}::date`);
  const t = (table: string) => `"${schema}".${table}`;
  const where: string[] = [scopePredicate(scope, customerScopeColumns(schema), params)];
  const ctes: string[] = [];
  const visible = (column: string) => holdingVisibleSql(schema, scope, params, column);
  let totalsUsed = columns === 'row';
  /** A condition on the holdings sums (`v`), which then must be computed. */
  const onTotals = (condition: string) => {
    totalsUsed = true;
    where.push(condition);
  };

  if (filter.kind) where.push(`c.kind = ${params.add(filter.kind)}`);
  if (filter.gender) where.push(`c.gender = ${params.add(filter.gender)}`);
  if (filter.age?.min !== undefined) {
    where.push(
      `c.birth_date <= ${todayParam()} - make_interval(years => ${params.add(filter.age.min)}::int)`,
    );
  }
  if (filter.age?.max !== undefined) {
    where.push(
      `c.birth_date > ${todayParam()} - make_interval(years => ${params.add(filter.age.max + 1)}::int)`,
    );
  }
  if (filter.regionCodes?.length)
    where.push(`c.region_code = ANY(${params.add(filter.regionCodes)}::text[])`);

  const range = (expression: string, bounds?: { min?: string; max?: string }) => {
    if (bounds?.min !== undefined) onTotals(`${expression} >= ${params.add(bounds.min)}::numeric`);
    if (bounds?.max !== undefined) onTotals(`${expression} <= ${params.add(bounds.max)}::numeric`);
  };
  range('(v.deposits + v.wealth)', filter.aum);
  range('v.deposits', filter.depositBalance);
  range('v.loans', filter.loanBalance);

  const holdsSql = (criteria: ProductCriteriaDto): string | undefined => {
    const any: string[] = [];
    if (criteria.productCodes?.length)
      any.push(`h2.product_codes && ${params.add(criteria.productCodes)}::text[]`);
    if (criteria.productKinds?.length)
      any.push(`h2.product_kinds && ${params.add(criteria.productKinds)}::text[]`);
    if (any.length === 0) return undefined;
    return `EXISTS (SELECT 1 FROM ${t('holding_summary')} h2 WHERE h2.customer_id = c.id AND ${visible('h2.institution_id')} AND (${any.join(' OR ')}))`;
  };
  const holds = filter.holds && holdsSql(filter.holds);
  if (holds) where.push(holds);
  const lacks = filter.doesNotHold && holdsSql(filter.doesNotHold);
  if (lacks) where.push(`NOT ${lacks}`);

  if (filter.cardStatuses?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM ${t('card')} k WHERE k.customer_id = c.id AND k.status = ANY(${params.add(filter.cardStatuses)}::text[]) AND ${visible('k.institution_id')})`,
    );
  }
  if (filter.tags?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM ${t('customer_tag')} tg WHERE tg.customer_id = c.id AND tg.tag = ANY(${params.add(filter.tags)}::text[]) AND (tg.valid_until IS NULL OR tg.valid_until > now()))`,
    );
  }
  if (filter.valueTiers?.length) where.push(`c.value_tier = ANY(${params.add(filter.valueTiers)}::text[])`);
  if (filter.lifecycleStages?.length) {
    where.push(`c.lifecycle_stage = ANY(${params.add(filter.lifecycleStages)}::text[])`);
  }
  const churn = filter.churnScore;
  if (churn && (churn.min !== undefined || churn.max !== undefined)) {
    const bounds = [
      ...(churn.min === undefined ? [] : [`ap.churn_score >= ${params.add(churn.min)}::int`]),
      ...(churn.max === undefined ? [] : [`ap.churn_score <= ${params.add(churn.max)}::int`]),
    ];
    where.push(
      `EXISTS (SELECT 1 FROM ${t('analytic_profile')} ap WHERE ap.customer_id = c.id AND ${bounds.join(' AND ')})`,
    );
  }

  const coverage = filter.coverage;
  if (coverage?.institutionId) {
    ctes.push(
      `subtree(id) AS (SELECT ${params.add(coverage.institutionId)}::text UNION SELECT i.id FROM ${t('institution')} i JOIN subtree ON i.parent_id = subtree.id)`,
    );
    where.push(
      `(cv.primary_institution_id IN (SELECT id FROM subtree) OR EXISTS (SELECT 1 FROM ${t('coverage_secondary')} cs2 WHERE cs2.customer_id = c.id AND cs2.institution_id IN (SELECT id FROM subtree)))`,
    );
  }
  if (coverage?.managerId) {
    const m = params.add(coverage.managerId);
    where.push(
      `(cv.primary_manager_id = ${m} OR cv.private_banker_id = ${m} OR EXISTS (SELECT 1 FROM ${t('coverage_secondary')} cs3 WHERE cs3.customer_id = c.id AND cs3.manager_id = ${m}))`,
    );
  }
  if (coverage?.keyCustomer !== undefined) {
    where.push(`COALESCE(cv.key_customer, false) = ${params.add(coverage.keyCustomer)}`);
  }

  const activity = filter.activity;
  if (activity?.lastTransactionAfter) {
    onTotals(`v.last_transaction_at >= ${params.add(activity.lastTransactionAfter)}::timestamptz`);
  }
  if (activity?.lastTransactionBefore) {
    onTotals(
      `(v.last_transaction_at IS NULL OR v.last_transaction_at < ${params.add(activity.lastTransactionBefore)}::timestamptz)`,
    );
  }
  const count = activity?.transactionCount;
  if (count && (count.min !== undefined || count.max !== undefined)) {
    const counted = `(SELECT count(*) FROM ${t('account_transaction')} tx WHERE tx.customer_id = c.id AND tx.booked_at >= ${params.add(count.from)}::timestamptz AND tx.booked_at < ${params.add(count.to)}::timestamptz AND ${visible('tx.institution_id')})`;
    if (count.min !== undefined) where.push(`${counted} >= ${params.add(count.min)}`);
    if (count.max !== undefined) where.push(`${counted} <= ${params.add(count.max)}`);
  }
  if (filter.maturingWithinDays !== undefined) {
    const days = params.add(filter.maturingWithinDays);
    where.push(
      `(EXISTS (SELECT 1 FROM ${t('account')} a WHERE a.customer_id = c.id AND a.status <> 'closed' AND a.maturity_date BETWEEN ${todayParam()} AND ${todayParam()} + ${days}::int AND ${visible('a.institution_id')})` +
        ` OR EXISTS (SELECT 1 FROM ${t('loan')} l WHERE l.customer_id = c.id AND l.status <> 'settled' AND l.maturity_date BETWEEN ${todayParam()} AND ${todayParam()} + ${days}::int AND ${visible('l.institution_id')}))`,
    );
  }
  if (filter.idNumber)
    where.push(`c.id_number_hash = ${params.add(blindIndex(filter.idNumber, 'id-number'))}`);
  if (filter.phone) where.push(`c.phone_hash = ${params.add(blindIndex(filter.phone, 'phone'))}`);

  const after = page?.afterCustomerId === undefined ? undefined : params.add(page.afterCustomerId);
  if (after) where.push(`c.id > ${after}`);
  // The bound on the coverage side too: a merge join would otherwise read coverage from its first row
  // on every page, which makes deep pages (a long stream of target ids) slower and slower.
  const coverageJoin = `LEFT JOIN ${t('coverage')} cv ON cv.customer_id = c.id${after ? ` AND cv.customer_id > ${after}` : ''}`;
  const limit = page ? ` LIMIT ${params.add(page.limit + 1)}` : '';

  const totals = totalsUsed
    ? `
CROSS JOIN LATERAL (
  SELECT COALESCE(sum(h.deposits), 0) AS deposits, COALESCE(sum(h.wealth), 0) AS wealth,
         COALESCE(sum(h.loans), 0) AS loans, COALESCE(sum(h.cards), 0) AS cards,
         max(h.last_transaction_at) AS last_transaction_at
  FROM ${t('holding_summary')} h WHERE h.customer_id = c.id AND ${visible('h.institution_id')}
) v`
    : '';
  const text =
    (ctes.length ? `WITH RECURSIVE ${ctes.join(', ')} ` : '') +
    `SELECT ${columns === 'row' ? SELECT_COLUMNS : ID_COLUMNS}
FROM ${t('customer')} c
${coverageJoin}${totals}
WHERE ${where.join('\n  AND ')}
ORDER BY c.id${limit}`;
  return { text, values: params.values };
}

/** One row of the search statement in `ids` columns. */
export interface SearchIdRow {
  id: string;
  primary_institution_id: string | null;
}

/** One row of the search statement. */
export interface SearchRow {
  id: string;
  kind: string;
  name: string;
  gender: string | null;
  birth_date: string | null;
  region_code: string;
  home_institution_id: string;
  id_number_enc: string | null;
  phone_enc: string;
  value_tier: string | null;
  lifecycle_stage: string | null;
  primary_institution_id: string | null;
  primary_manager_id: string | null;
  key_customer: boolean;
  deposits: string;
  wealth: string;
  loans: string;
  cards: string;
  last_transaction_at: Date | null;
}
