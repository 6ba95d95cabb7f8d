import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { CustomerCoverage, DataScope, HoldingsVisibility, scopePredicate } from '@crm/security';
import { customerScopeColumns } from '../scope/customer-scope';

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

const DATE = (column: string) => `to_char(${column}, 'YYYY-MM-DD') AS ${column.split('.').pop()}`;

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
    )) as (CustomerRow & {
      primary_institution_id: string | null;
      primary_manager_id: string | null;
      private_banker_id: string | null;
      secondary: { institutionId: string; managerId: string | null }[];
    })[];
    return rows.map((row) => ({
      customer: row,
      coverage: {
        primaryInstitutionId: row.primary_institution_id,
        primaryManagerId: row.primary_manager_id,
        privateBankerId: row.private_banker_id,
        secondary: row.secondary,
        keyCustomer: row.key_customer ?? false,
      },
    }));
  }

  /** The holdings of one customer the visibility allows (never 'none': callers check first). */
  async holdings(customerId: string, visibility: HoldingsVisibility, recentDays: number): Promise<Holdings> {
    const s = this.s;
    const institutions = visibility.kind === 'institutions' ? visibility.institutionIds : null;
    const visible = `($2::text[] IS NULL OR institution_id = ANY($2::text[]))`;
    const args = [customerId, institutions];
    const [accounts, loans, cards, [transactions]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, institution_id, kind, product_code, product_name, status, balance::text AS balance, currency,
           ${DATE('opened_on')}, ${DATE('closed_on')}, ${DATE('maturity_date')}
         FROM "${s}".account WHERE customer_id = $1 AND ${visible} ORDER BY id`,
        args,
      ),
      this.dataSource.query(
        `SELECT id, institution_id, product_code, product_name, status, classification, principal::text AS principal,
           outstanding::text AS outstanding, days_overdue, overdue_amount::text AS overdue_amount,
           interest_unpaid::text AS interest_unpaid, ${DATE('disbursed_on')}, ${DATE('maturity_date')}
         FROM "${s}".loan WHERE customer_id = $1 AND ${visible} ORDER BY id`,
        args,
      ),
      this.dataSource.query(
        `SELECT id, institution_id, product_name, masked_card_number, status, credit_limit::text AS credit_limit,
           statement_balance::text AS statement_balance, outstanding_balance::text AS outstanding_balance,
           ${DATE('due_date')}
         FROM "${s}".card WHERE customer_id = $1 AND ${visible} ORDER BY id`,
        args,
      ),
      this.dataSource.query(
        `SELECT r.count, r.credits, r.debits, l.id AS last_id, l.account_id AS last_account_id,
           l.direction AS last_direction, l.amount::text AS last_amount, l.booked_at AS last_booked_at
         FROM (SELECT count(*)::int AS count,
                 COALESCE(sum(amount) FILTER (WHERE direction = 'CRDT'), 0)::text AS credits,
                 COALESCE(sum(amount) FILTER (WHERE direction = 'DBIT'), 0)::text AS debits
               FROM "${s}".account_transaction
               WHERE customer_id = $1 AND ${visible} AND booked_at >= now() - make_interval(days => $3::int)) r
         LEFT JOIN LATERAL (
           SELECT id, account_id, direction, amount, booked_at FROM "${s}".account_transaction
           WHERE customer_id = $1 AND ${visible} ORDER BY booked_at DESC, id DESC LIMIT 1) l ON true`,
        [...args, recentDays],
      ),
    ]);
    return {
      accounts: accounts as AccountRow[],
      loans: loans as LoanRow[],
      cards: cards as CardRow[],
      // An aggregate without GROUP BY always yields one row.
      transactions: transactions as TransactionSummaryRow,
    };
  }
}
