import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams, queryPrepared, schemaOf } from '@crm/persistence';
import { CustomerCoverage, DataScope, scopePredicate } from '@crm/security';
import { AnalyticProfileRow } from '../analytics/analytic-profile.repository';
import { ConsentRow } from '../consent/consent.repository';
import { customerScopeColumns, holdingVisibleSql } from '../scope/customer-scope';
import { TagRow } from '../tags/tag.repository';

export interface CustomerRow {
  id: string;
  kind: string;
  name: string;
  gender: string | null;
  birth_date: string | null;
  industry: string | null;
  region_code: string;
  home_institution_id: string;
  id_number_enc: string | null;
  phone_enc: string;
  registered_on: string | null;
  value_tier: string | null;
  lifecycle_stage: string | null;
  key_customer: boolean | null;
}

export interface CustomerRecord {
  customer: CustomerRow;
  coverage: CustomerCoverage & { keyCustomer: boolean };
}

export interface AccountRow {
  id: string;
  institution_id: string;
  kind: string | null;
  product_code: string | null;
  product_name: string | null;
  status: string;
  balance: string;
  currency: string | null;
  opened_on: string | null;
  closed_on: string | null;
  maturity_date: string | null;
}

export interface LoanRow {
  id: string;
  institution_id: string;
  product_code: string | null;
  product_name: string | null;
  status: string;
  classification: string | null;
  principal: string | null;
  outstanding: string;
  days_overdue: number;
  overdue_amount: string;
  interest_unpaid: string;
  disbursed_on: string | null;
  maturity_date: string | null;
}

export interface CardRow {
  id: string;
  institution_id: string;
  product_name: string | null;
  masked_card_number: string | null;
  status: string;
  credit_limit: string | null;
  statement_balance: string;
  outstanding_balance: string;
  due_date: string | null;
}

export interface TransactionSummaryRow {
  count: number;
  credits: string;
  debits: string;
  last_id: string | null;
  last_account_id: string | null;
  last_direction: string | null;
  last_amount: string | null;
  last_booked_at: Date | null;
}

export interface Holdings {
  accounts: AccountRow[];
  loans: LoanRow[];
  cards: CardRow[];
  transactions: TransactionSummaryRow;
}

const DAY = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;
const DATE = (column: string) => `${DAY(column)} AS ${column.split('.').pop()}`;

/** Reads customers; every read takes the caller's scope (or the visibility derived from it). */
@Injectable()
export class CustomerRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get s(): string {
    return schemaOf(this.dataSource);
  }

  /** The customers of `ids` within the scope, with their coverage. */
  async findInScope(
    ids: readonly string[],
    scope: DataScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CustomerRecord[]> {
    const s = this.s;
    const params = new SqlParams();
    const idsParam = params.add(ids);
    const rows = (await manager.query(
      `SELECT c.id, c.kind, c.name, c.gender, ${DATE('c.birth_date')}, c.industry, c.region_code, c.home_institution_id,
         c.id_number_enc, c.phone_enc, ${DATE('c.registered_on')}, c.value_tier, c.lifecycle_stage,
         cv.primary_institution_id, cv.primary_manager_id, cv.private_banker_id, cv.key_customer,
         COALESCE((SELECT json_agg(json_build_object('institutionId', cs.institution_id, 'managerId', cs.manager_id)
                   ORDER BY cs.institution_id) FROM "${s}".coverage_secondary cs WHERE cs.customer_id = c.id), '[]') AS secondary
       FROM "${s}".customer c LEFT JOIN "${s}".coverage cv ON cv.customer_id = c.id
       WHERE c.id = ANY(${idsParam}::text[]) AND ${scopePredicate(scope, customerScopeColumns(s), params)}
       ORDER BY c.id`,
      params.values,
    )) as ScopedCustomerRow[];
    return rows.map(toRecord);
  }

  /**
   * The whole 360 view of one customer in scope in one prepared statement: the customer, their coverage,
   * the holdings the scope may see (holdingVisibleSql, the SQL form of holdingsVisibility), the recent
   * transactions' summary, valid tags, consent and the analytic profile, each as JSON. Undefined when
   * the customer is unknown or out of scope.
   */
  async view360(
    customerId: string,
    scope: DataScope,
    recentDays: number,
  ): Promise<Customer360Record | undefined> {
    const s = this.s;
    const params = new SqlParams();
    const id = params.add(customerId);
    const days = params.add(recentDays);
    const visible = (column: string): string => holdingVisibleSql(s, scope, params, column);
    const list = (fields: string, from: string, order: string): string =>
      `COALESCE((SELECT json_agg(json_build_object(${fields}) ORDER BY ${order}) FROM ${from}), '[]')`;
    const scopeSql = scopePredicate(scope, customerScopeColumns(s), params);
    const [row] = await queryPrepared<Customer360Row>(
      this.dataSource,
      `SELECT c.id, c.kind, c.name, c.gender, ${DATE('c.birth_date')}, c.industry, c.region_code, c.home_institution_id,
         c.id_number_enc, c.phone_enc, ${DATE('c.registered_on')}, c.value_tier, c.lifecycle_stage,
         cv.primary_institution_id, cv.primary_manager_id, cv.private_banker_id, cv.key_customer,
         ${list(`'institutionId', cs.institution_id, 'managerId', cs.manager_id`, `"${s}".coverage_secondary cs WHERE cs.customer_id = c.id`, 'cs.institution_id')} AS secondary,
         ${list(
           `'id', a.id, 'institution_id', a.institution_id, 'kind', a.kind, 'product_code', a.product_code,
           'product_name', a.product_name, 'status', a.status, 'balance', a.balance::text, 'currency', a.currency,
           'opened_on', ${DAY('a.opened_on')}, 'closed_on', ${DAY('a.closed_on')}, 'maturity_date', ${DAY('a.maturity_date')}`,
           `"${s}".account a WHERE a.customer_id = c.id AND ${visible('a.institution_id')}`,
           'a.id',
         )} AS accounts,
         ${list(
           `'id', l.id, 'institution_id', l.institution_id, 'product_code', l.product_code, 'product_name', l.product_name,
           'status', l.status, 'classification', l.classification, 'principal', l.principal::text,
           'outstanding', l.outstanding::text, 'days_overdue', l.days_overdue, 'overdue_amount', l.overdue_amount::text,
           'interest_unpaid', l.interest_unpaid::text, 'disbursed_on', ${DAY('l.disbursed_on')},
           'maturity_date', ${DAY('l.maturity_date')}`,
           `"${s}".loan l WHERE l.customer_id = c.id AND ${visible('l.institution_id')}`,
           'l.id',
         )} AS loans,
         ${list(
           `'id', k.id, 'institution_id', k.institution_id, 'product_name', k.product_name,
           'masked_card_number', k.masked_card_number, 'status', k.status, 'credit_limit', k.credit_limit::text,
           'statement_balance', k.statement_balance::text, 'outstanding_balance', k.outstanding_balance::text,
           'due_date', ${DAY('k.due_date')}`,
           `"${s}".card k WHERE k.customer_id = c.id AND ${visible('k.institution_id')}`,
           'k.id',
         )} AS cards,
         (SELECT json_build_object('count', count(*)::int,
                   'credits', COALESCE(sum(tx.amount) FILTER (WHERE tx.direction = 'CRDT'), 0)::text,
                   'debits', COALESCE(sum(tx.amount) FILTER (WHERE tx.direction = 'DBIT'), 0)::text)
          FROM "${s}".account_transaction tx
          WHERE tx.customer_id = c.id AND ${visible('tx.institution_id')}
            AND tx.booked_at >= now() - make_interval(days => ${days}::int)) AS recent,
         (SELECT json_build_object('id', tx.id, 'account_id', tx.account_id, 'direction', tx.direction,
                   'amount', tx.amount::text, 'booked_at', tx.booked_at)
          FROM "${s}".account_transaction tx WHERE tx.customer_id = c.id AND ${visible('tx.institution_id')}
          ORDER BY tx.booked_at DESC, tx.id DESC LIMIT 1) AS last_transaction,
         ${list(
           `'tag', tg.tag, 'kind', tg.kind, 'source', tg.source, 'score', tg.score::text, 'valid_until', tg.valid_until,
           'created_at', tg.created_at`,
           `"${s}".customer_tag tg WHERE tg.customer_id = c.id AND (tg.valid_until IS NULL OR tg.valid_until > now())`,
           'tg.tag, tg.kind, tg.source',
         )} AS tags,
         ${list(
           `'channel', co.channel, 'status', co.status, 'changed_at', co.changed_at, 'changed_by', co.changed_by,
           'source', co.source`,
           `"${s}".consent co WHERE co.customer_id = c.id`,
           'co.channel',
         )} AS consent,
         (SELECT json_build_object('business_date', ${DAY('ap.business_date')}, 'computed_at', ap.computed_at,
                   'value_tier', ap.value_tier, 'lifecycle_stage', ap.lifecycle_stage, 'rfm', ap.rfm, 'tags', ap.tags,
                   'churn_score', ap.churn_score, 'churn_reasons', ap.churn_reasons)
          FROM "${s}".analytic_profile ap WHERE ap.customer_id = c.id) AS analytics
       FROM "${s}".customer c LEFT JOIN "${s}".coverage cv ON cv.customer_id = c.id
       WHERE c.id = ${id} AND ${scopeSql}`,
      params.values,
    );
    if (!row) return undefined;
    const recent = row.recent;
    const last = row.last_transaction;
    return {
      record: toRecord(row),
      holdings: {
        accounts: row.accounts,
        loans: row.loans,
        cards: row.cards,
        transactions: {
          count: recent.count,
          credits: recent.credits,
          debits: recent.debits,
          last_id: last?.id ?? null,
          last_account_id: last?.account_id ?? null,
          last_direction: last?.direction ?? null,
          last_amount: last?.amount ?? null,
          last_booked_at: last ? new Date(last.booked_at) : null,
        },
      },
      // JSON carries timestamps as ISO strings; the presenter takes the Dates pg gives for columns.
      tags: row.tags.map((t) => ({
        ...t,
        valid_until: t.valid_until === null ? null : new Date(t.valid_until),
        created_at: new Date(t.created_at),
      })),
      consent: row.consent.map((c) => ({ ...c, changed_at: new Date(c.changed_at) })),
      analytics: row.analytics
        ? { ...row.analytics, computed_at: new Date(row.analytics.computed_at) }
        : undefined,
    };
  }
}

interface Customer360Row extends ScopedCustomerRow {
  accounts: AccountRow[];
  loans: LoanRow[];
  cards: CardRow[];
  recent: { count: number; credits: string; debits: string };
  last_transaction: {
    id: string;
    account_id: string;
    direction: string;
    amount: string;
    booked_at: string;
  } | null;
  tags: (Omit<TagRow, 'valid_until' | 'created_at'> & { valid_until: string | null; created_at: string })[];
  consent: (Omit<ConsentRow, 'changed_at'> & { changed_at: string })[];
  analytics: (Omit<AnalyticProfileRow, 'computed_at'> & { computed_at: string }) | null;
}

/** The 360 view's data as the presenter takes it. */
export interface Customer360Record {
  record: CustomerRecord;
  holdings: Holdings;
  tags: TagRow[];
  consent: ConsentRow[];
  analytics: AnalyticProfileRow | undefined;
}

type ScopedCustomerRow = CustomerRow & {
  primary_institution_id: string | null;
  primary_manager_id: string | null;
  private_banker_id: string | null;
  secondary: { institutionId: string; managerId: string | null }[];
};

const toRecord = (row: ScopedCustomerRow): CustomerRecord => ({
  customer: row,
  coverage: {
    primaryInstitutionId: row.primary_institution_id,
    primaryManagerId: row.primary_manager_id,
    privateBankerId: row.private_banker_id,
    secondary: row.secondary,
    keyCustomer: row.key_customer ?? false,
  },
});
