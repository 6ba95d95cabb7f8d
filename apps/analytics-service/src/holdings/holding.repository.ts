import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AccountOpenedPayload,
  AccountStatus,
  CardIssuedPayload,
  LoanClassification,
  LoanDisbursedPayload,
  LoanSettledPayload,
} from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import type { BalanceObservation } from '../balances/daily-balance.rule';

/** Whose a holding is and where it is held: every core-banking event about it says so. */
export interface HoldingRef {
  customerId: string;
  institutionId: string;
}

const ID_COLUMN = { account: 'account_id', loan: 'loan_id', card: 'card_id' } as const;
type HoldingTable = keyof typeof ID_COLUMN;

/**
 * Accounts, loans and cards. A holding's row is made by the first event that names it, whichever that is;
 * each later write is one UPDATE guarded by the time of its fact (`*_as_of`): a later or equal fact
 * replaces what an earlier one set, an earlier one changes nothing.
 */
@Injectable()
export class HoldingRepository {
  async ensure(tx: EntityManager, table: HoldingTable, id: string, ref: HoldingRef): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".${table} (${ID_COLUMN[table]}, customer_id, institution_id)
       VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [id, ref.customerId, ref.institutionId],
    );
  }

  /**
   * The holding's row, made by the first event that names it, with the observed balance when that is its latest
   * (the order of the daily rule): one statement, as it runs for every entry of the stream.
   */
  async upsertBalance(tx: EntityManager, ref: HoldingRef, o: BalanceObservation): Promise<void> {
    const table = o.holdingType;
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".${table} AS h
         (${ID_COLUMN[table]}, customer_id, institution_id, balance, balance_as_of, balance_fact_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (${ID_COLUMN[table]}) DO UPDATE SET balance = EXCLUDED.balance,
         balance_as_of = EXCLUDED.balance_as_of, balance_fact_id = EXCLUDED.balance_fact_id
       WHERE h.balance_as_of IS NULL
          OR (h.balance_as_of, h.balance_fact_id) < (EXCLUDED.balance_as_of, EXCLUDED.balance_fact_id)`,
      [o.holdingId, ref.customerId, ref.institutionId, o.balance, o.asOf, o.factId],
    );
  }

  /** What an opening says once and for all: kind, product, currency, manager, date opened. */
  async accountOpened(tx: EntityManager, a: AccountOpenedPayload): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".account SET kind = $2, product_code = $3, product_name = $4,
         currency = $5, manager_id = $6, opened_on = $7 WHERE account_id = $1`,
      [a.accountId, a.kind, a.productCode, a.productName, a.currency, a.managerId ?? null, a.openedOn],
    );
  }

  async setAccountStatus(
    tx: EntityManager,
    accountId: string,
    status: AccountStatus,
    asOf: string,
    closedOn: string | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".account SET status = $2, status_as_of = $3, closed_on = $4
        WHERE account_id = $1 AND (status_as_of IS NULL OR status_as_of <= $3)`,
      [accountId, status, asOf, closedOn],
    );
  }

  async setAccountMaturity(
    tx: EntityManager,
    accountId: string,
    maturityDate: string,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".account SET maturity_date = $2, maturity_as_of = $3
        WHERE account_id = $1 AND (maturity_as_of IS NULL OR maturity_as_of <= $3)`,
      [accountId, maturityDate, asOf],
    );
  }

  async loanDisbursed(tx: EntityManager, l: LoanDisbursedPayload): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET manager_id = $2, product_code = $3, product_name = $4,
         currency = $5, principal = $6, repayment_method = $7, disbursed_on = $8 WHERE loan_id = $1`,
      [
        l.loanId,
        l.managerId,
        l.productCode,
        l.productName,
        l.principal.currency,
        l.principal.amount,
        l.repaymentMethod,
        l.disbursedOn,
      ],
    );
  }

  /** Maturity and rate, as the disbursal or a later schedule change (from its effective date) set them. */
  async setLoanSchedule(
    tx: EntityManager,
    loanId: string,
    maturityDate: string,
    rate: string,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET maturity_date = $2, interest_rate = $3, schedule_as_of = $4
        WHERE loan_id = $1 AND (schedule_as_of IS NULL OR schedule_as_of <= $4)`,
      [loanId, maturityDate, rate, asOf],
    );
  }

  async setLoanClassification(
    tx: EntityManager,
    loanId: string,
    to: LoanClassification,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET classification = $2, classification_as_of = $3
        WHERE loan_id = $1 AND (classification_as_of IS NULL OR classification_as_of <= $3)`,
      [loanId, to, asOf],
    );
  }

  /** The latest overdue seen (its date is when the loan was last known overdue). */
  async setLoanOverdue(tx: EntityManager, loanId: string, daysOverdue: number, asOf: string): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET days_overdue = $2, overdue_as_of = $3
        WHERE loan_id = $1 AND (overdue_as_of IS NULL OR overdue_as_of <= $3)`,
      [loanId, daysOverdue, asOf],
    );
  }

  async setLoanInterestUnpaid(
    tx: EntityManager,
    loanId: string,
    totalUnpaid: string,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET interest_unpaid = $2, interest_unpaid_as_of = $3
        WHERE loan_id = $1 AND (interest_unpaid_as_of IS NULL OR interest_unpaid_as_of <= $3)`,
      [loanId, totalUnpaid, asOf],
    );
  }

  /** Settlement is final. */
  async loanSettled(tx: EntityManager, l: LoanSettledPayload): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".loan SET status = 'settled', settled_on = $2, settlement = $3
        WHERE loan_id = $1`,
      [l.loanId, l.settledOn, l.settlement],
    );
  }

  async cardIssued(tx: EntityManager, c: CardIssuedPayload): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".card SET manager_id = $2, product_code = $3, product_name = $4,
         currency = $5, credit_limit = $6, issued_on = $7, statement_day = $8 WHERE card_id = $1`,
      [
        c.cardId,
        c.managerId ?? null,
        c.productCode,
        c.productName,
        c.creditLimit.currency,
        c.creditLimit.amount,
        c.issuedOn,
        c.statementDay,
      ],
    );
  }

  /**
   * What a statement or a payment says is owed at its instant: kept in the card's history (what a past
   * date's figures read) and, when the latest, on the card; at one instant, as on the card, the later arrival.
   */
  async setCardStatedBalance(
    tx: EntityManager,
    card: { cardId: string; customerId: string },
    balance: string,
    asOf: string,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".card_stated_balance (card_id, as_of, customer_id, balance) VALUES ($1, $2, $3, $4)
       ON CONFLICT (card_id, as_of) DO UPDATE SET balance = EXCLUDED.balance`,
      [card.cardId, asOf, card.customerId, balance],
    );
    await tx.query(
      `UPDATE "${s}".card SET stated_balance = $2, stated_as_of = $3
        WHERE card_id = $1 AND (stated_as_of IS NULL OR stated_as_of <= $3)`,
      [card.cardId, balance, asOf],
    );
  }

  async setCardStatus(
    tx: EntityManager,
    cardId: string,
    status: 'active' | 'overdue',
    daysOverdue: number,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".card SET status = $2, days_overdue = $3, status_as_of = $4
        WHERE card_id = $1 AND (status_as_of IS NULL OR status_as_of <= $4)`,
      [cardId, status, daysOverdue, asOf],
    );
  }

  /**
   * What is owed now: the latest stated balance plus the spends posted after it (a spend at the statement's
   * instant is on the statement). From the facts, so the order spends and statements arrive in does not matter.
   */
  async refreshCardOutstanding(tx: EntityManager, cardId: string): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `UPDATE "${s}".card c SET outstanding_balance = coalesce(c.stated_balance, 0) + (
         SELECT coalesce(sum(f.amount), 0) FROM "${s}".transaction_fact f
          WHERE f.source = 'card' AND f.holding_id = c.card_id
            AND (c.stated_as_of IS NULL OR f.booked_at > c.stated_as_of))
        WHERE c.card_id = $1`,
      [cardId],
    );
  }
}
