import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { CustomerHoldings } from '../coverage/coverage.rule';

export interface BalanceUpdate {
  accountId: string;
  customerId: string;
  institutionId: string;
  currency: string;
  balance: string;
  /** When core banking stated this balance: an older statement never replaces a newer one. */
  asOf: string;
}

export interface AccountOpening extends BalanceUpdate {
  openedOn: string;
  managerId: string | null;
}

export interface LoanDisbursement {
  loanId: string;
  customerId: string;
  institutionId: string;
  managerId: string;
  currency: string;
  outstanding: string;
  disbursedOn: string;
  asOf: string;
}

export interface CardIssue {
  cardId: string;
  customerId: string;
  institutionId: string;
  managerId: string | null;
  currency: string;
  creditLimit: string;
  issuedOn: string;
}

/**
 * The holdings summary the coverage rules read, one customer at a time. Events about one customer come
 * ordered within a topic but not across topics (accounts, transactions, loans, cards), so balances carry the
 * time they were stated and only a newer statement replaces them.
 */
@Injectable()
export class HoldingsRepository {
  private readonly s: string;

  constructor(dataSource: DataSource) {
    this.s = schemaOf(dataSource);
  }

  /** Serialises every change of one customer's holdings and coverage, whichever topic or request it comes from. */
  async lockCustomer(tx: EntityManager, customerId: string): Promise<void> {
    await this.lockCustomers(tx, [customerId]);
  }

  /** lockCustomer for several customers, in one statement and in one order. */
  async lockCustomers(tx: EntityManager, customerIds: readonly string[]): Promise<void> {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
         FROM (SELECT DISTINCT $1 || id AS key FROM unnest($2::text[]) AS id ORDER BY 1) keys`,
      [`${this.s}:customer:`, customerIds],
    );
  }

  async openAccount(tx: EntityManager, a: AccountOpening): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".deposit_account
         (account_id, customer_id, institution_id, currency, balance, opened_on, manager_id, balance_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (account_id) DO UPDATE SET
         opened_on = EXCLUDED.opened_on,
         manager_id = EXCLUDED.manager_id,
         balance = CASE WHEN EXCLUDED.balance_as_of >= deposit_account.balance_as_of
                        THEN EXCLUDED.balance ELSE deposit_account.balance END,
         balance_as_of = GREATEST(EXCLUDED.balance_as_of, deposit_account.balance_as_of)`,
      [a.accountId, a.customerId, a.institutionId, a.currency, a.balance, a.openedOn, a.managerId, a.asOf],
    );
  }

  /**
   * A transaction's balance after; creates the account when the opening event has not arrived yet. A closed
   * account keeps its balance of 0: its closing entries, stamped with the closure's own instant, may come on
   * their topic after the closure did on its own (the kill -9 drill found balances left on closed accounts).
   */
  async setBalance(tx: EntityManager, b: BalanceUpdate): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".deposit_account
         (account_id, customer_id, institution_id, currency, balance, balance_as_of)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account_id) DO UPDATE SET balance = EXCLUDED.balance, balance_as_of = EXCLUDED.balance_as_of
       WHERE NOT deposit_account.closed AND EXCLUDED.balance_as_of >= deposit_account.balance_as_of`,
      [b.accountId, b.customerId, b.institutionId, b.currency, b.balance, b.asOf],
    );
  }

  async setAccountClosed(
    tx: EntityManager,
    a: Omit<BalanceUpdate, 'balance' | 'currency'>,
    closed: boolean,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".deposit_account
         (account_id, customer_id, institution_id, currency, balance, balance_as_of, closed)
       VALUES ($1, $2, $3, 'CNY', 0, $4, $5)
       ON CONFLICT (account_id) DO UPDATE SET closed = EXCLUDED.closed,
         balance = CASE WHEN EXCLUDED.closed THEN 0 ELSE deposit_account.balance END,
         balance_as_of = GREATEST(EXCLUDED.balance_as_of, deposit_account.balance_as_of)`,
      [a.accountId, a.customerId, a.institutionId, a.asOf, closed],
    );
  }

  async disburseLoan(tx: EntityManager, l: LoanDisbursement): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".loan
         (loan_id, customer_id, institution_id, manager_id, currency, outstanding, disbursed_on, outstanding_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (loan_id) DO UPDATE SET institution_id = EXCLUDED.institution_id, manager_id = EXCLUDED.manager_id,
         disbursed_on = EXCLUDED.disbursed_on`,
      [
        l.loanId,
        l.customerId,
        l.institutionId,
        l.managerId,
        l.currency,
        l.outstanding,
        l.disbursedOn,
        l.asOf,
      ],
    );
  }

  /** False when the loan is unknown (its disbursement was never received). */
  async setLoanOutstanding(
    tx: EntityManager,
    loanId: string,
    outstanding: string,
    asOf: string,
  ): Promise<boolean> {
    const [, count]: [unknown, number] = await tx.query(
      `UPDATE "${this.s}".loan SET outstanding = $2, outstanding_as_of = $3
       WHERE loan_id = $1 AND outstanding_as_of <= $3`,
      [loanId, outstanding, asOf],
    );
    return count > 0 || (await this.loanExists(tx, loanId));
  }

  async settleLoan(tx: EntityManager, loanId: string, asOf: string): Promise<boolean> {
    const [, count]: [unknown, number] = await tx.query(
      `UPDATE "${this.s}".loan SET settled = true, outstanding = 0, outstanding_as_of = GREATEST(outstanding_as_of, $2)
       WHERE loan_id = $1`,
      [loanId, asOf],
    );
    return count > 0;
  }

  async recordCreditIncident(tx: EntityManager, customerId: string, day: string): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".credit_record (customer_id, last_incident_on) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET last_incident_on = GREATEST(credit_record.last_incident_on, $2::date)`,
      [customerId, day],
    );
  }

  async issueCard(tx: EntityManager, c: CardIssue): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".card (card_id, customer_id, institution_id, manager_id, currency, credit_limit, issued_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (card_id) DO UPDATE SET institution_id = EXCLUDED.institution_id, manager_id = EXCLUDED.manager_id,
         credit_limit = EXCLUDED.credit_limit, issued_on = EXCLUDED.issued_on`,
      [c.cardId, c.customerId, c.institutionId, c.managerId, c.currency, c.creditLimit, c.issuedOn],
    );
  }

  /**
   * What the rules read: open accounts, unsettled loans, cards, the last credit incident. One statement: it runs
   * for every event of the stream, where each round trip counts.
   */
  async holdingsOf(tx: EntityManager, customerId: string): Promise<CustomerHoldings> {
    const [holdings]: CustomerHoldings[] = await tx.query(
      `SELECT
         (SELECT COALESCE(json_agg(d ORDER BY d."accountId"), '[]') FROM (
            SELECT account_id AS "accountId", institution_id AS "institutionId", balance::text AS balance,
                   to_char(opened_on, 'YYYY-MM-DD') AS "openedOn", manager_id AS "managerId"
              FROM "${this.s}".deposit_account WHERE customer_id = $1 AND NOT closed) d) AS deposits,
         (SELECT COALESCE(json_agg(l ORDER BY l."loanId"), '[]') FROM (
            SELECT loan_id AS "loanId", institution_id AS "institutionId", manager_id AS "managerId",
                   outstanding::text AS outstanding, to_char(disbursed_on, 'YYYY-MM-DD') AS "disbursedOn"
              FROM "${this.s}".loan WHERE customer_id = $1 AND NOT settled) l) AS loans,
         (SELECT COALESCE(json_agg(c ORDER BY c."cardId"), '[]') FROM (
            SELECT card_id AS "cardId", institution_id AS "institutionId", manager_id AS "managerId",
                   credit_limit::text AS "creditLimit", to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn"
              FROM "${this.s}".card WHERE customer_id = $1) c) AS cards,
         (SELECT to_char(last_incident_on, 'YYYY-MM-DD') FROM "${this.s}".credit_record WHERE customer_id = $1)
           AS "lastCreditIncidentOn"`,
      [customerId],
    );
    return holdings;
  }

  private async loanExists(tx: EntityManager, loanId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM "${this.s}".loan WHERE loan_id = $1`, [loanId]);
    return rows.length > 0;
  }
}
