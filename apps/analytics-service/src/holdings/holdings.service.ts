import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import {
  AccountClosedPayload,
  AccountMaturityChangedPayload,
  AccountOpenedPayload,
  AccountStatus,
  AccountStatusChangedPayload,
  CardIssuedPayload,
  CardOverduePayload,
  CardPaymentReceivedPayload,
  CardStatementIssuedPayload,
  LoanClassificationChangedPayload,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanScheduleChangedPayload,
  LoanSettledPayload,
} from '@crm/contracts';
import { DailyBalanceRepository } from '../balances/daily-balance.repository';
import {
  BalanceObservation,
  closingObservation,
  disbursalObservation,
  openingObservation,
  repaymentObservation,
  settlementObservation,
} from '../balances/daily-balance.rule';
import { HoldingRef, HoldingRepository } from './holding.repository';

/**
 * Keeps accounts, loans and cards from their lifecycle events, in the event's transaction. `eventTime` is
 * the envelope's: when core banking says the fact happened.
 */
@Injectable()
export class HoldingsService {
  constructor(
    private readonly holdings: HoldingRepository,
    private readonly dailyBalances: DailyBalanceRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  /** A balance a fact states: the day's row (daily_balance) and, when it is the latest, the holding's balance. */
  async recordBalance(tx: EntityManager, ref: HoldingRef, balance: BalanceObservation): Promise<void> {
    await this.holdings.upsertBalance(tx, ref, balance);
    await this.dailyBalances.record(tx, balance);
  }

  /** An opening counts from the start of its day, so a replayed one cannot undo a later status change. */
  async accountOpened(tx: EntityManager, a: AccountOpenedPayload, eventTime: string): Promise<void> {
    await this.recordBalance(tx, a, openingObservation(a, eventTime, this.calendar));
    await this.holdings.accountOpened(tx, a);
    const openedAt = this.startOf(a.openedOn);
    await this.holdings.setAccountStatus(tx, a.accountId, AccountStatus.Active, openedAt, null);
    if (a.maturityDate) await this.holdings.setAccountMaturity(tx, a.accountId, a.maturityDate, a.openedOn);
  }

  async accountClosed(tx: EntityManager, a: AccountClosedPayload, eventTime: string): Promise<void> {
    await this.recordBalance(tx, a, closingObservation(a, this.calendar));
    await this.holdings.setAccountStatus(tx, a.accountId, AccountStatus.Closed, eventTime, a.closedOn);
  }

  async accountStatusChanged(
    tx: EntityManager,
    a: AccountStatusChangedPayload,
    eventTime: string,
  ): Promise<void> {
    await this.holdings.ensure(tx, 'account', a.accountId, a);
    const closedOn = a.to === AccountStatus.Closed ? a.effectiveOn : null;
    await this.holdings.setAccountStatus(tx, a.accountId, a.to, eventTime, closedOn);
  }

  async accountMaturityChanged(tx: EntityManager, a: AccountMaturityChangedPayload): Promise<void> {
    await this.holdings.ensure(tx, 'account', a.accountId, a);
    await this.holdings.setAccountMaturity(tx, a.accountId, a.maturityDate, a.effectiveOn);
  }

  async loanDisbursed(tx: EntityManager, l: LoanDisbursedPayload): Promise<void> {
    await this.recordBalance(tx, l, disbursalObservation(l, this.calendar));
    await this.holdings.loanDisbursed(tx, l);
    await this.holdings.setLoanSchedule(tx, l.loanId, l.maturityDate, l.interestRate, l.disbursedOn);
    await this.holdings.setLoanClassification(tx, l.loanId, l.classification, l.disbursedOn);
  }

  async loanScheduleChanged(tx: EntityManager, l: LoanScheduleChangedPayload): Promise<void> {
    await this.holdings.ensure(tx, 'loan', l.loanId, l);
    await this.holdings.setLoanSchedule(tx, l.loanId, l.maturityDate, l.interestRate, l.effectiveOn);
  }

  loanRepaid(tx: EntityManager, l: LoanRepaymentReceivedPayload): Promise<void> {
    return this.recordBalance(tx, l, repaymentObservation(l, this.calendar));
  }

  async loanInterestUnpaid(tx: EntityManager, l: LoanInterestUnpaidPayload): Promise<void> {
    await this.holdings.ensure(tx, 'loan', l.loanId, l);
    await this.holdings.setLoanInterestUnpaid(tx, l.loanId, l.totalInterestUnpaid.amount, l.asOf);
  }

  async loanOverdue(tx: EntityManager, l: LoanOverduePayload): Promise<void> {
    await this.holdings.ensure(tx, 'loan', l.loanId, l);
    await this.holdings.setLoanOverdue(tx, l.loanId, l.daysOverdue, l.asOf);
  }

  async loanClassificationChanged(tx: EntityManager, l: LoanClassificationChangedPayload): Promise<void> {
    await this.holdings.ensure(tx, 'loan', l.loanId, l);
    await this.holdings.setLoanClassification(tx, l.loanId, l.to, l.effectiveOn);
  }

  async loanSettled(tx: EntityManager, l: LoanSettledPayload): Promise<void> {
    await this.recordBalance(tx, l, settlementObservation(l, this.calendar));
    await this.holdings.loanSettled(tx, l);
  }

  async cardIssued(tx: EntityManager, c: CardIssuedPayload): Promise<void> {
    await this.holdings.ensure(tx, 'card', c.cardId, c);
    await this.holdings.cardIssued(tx, c);
  }

  /** A statement states what is owed at its cut (the event's time). */
  async cardStatementIssued(
    tx: EntityManager,
    c: CardStatementIssuedPayload,
    eventTime: string,
  ): Promise<void> {
    await this.holdings.ensure(tx, 'card', c.cardId, c);
    await this.holdings.setCardStatedBalance(tx, c, c.statementBalance.amount, eventTime);
    await this.holdings.refreshCardOutstanding(tx, c.cardId);
  }

  /** A payment states what is still owed, and ends an overdue that began before it. */
  async cardPaymentReceived(tx: EntityManager, c: CardPaymentReceivedPayload): Promise<void> {
    await this.holdings.ensure(tx, 'card', c.cardId, c);
    await this.holdings.setCardStatedBalance(tx, c, c.outstandingBalance.amount, c.receivedAt);
    await this.holdings.setCardStatus(tx, c.cardId, 'active', 0, c.receivedAt);
    await this.holdings.refreshCardOutstanding(tx, c.cardId);
  }

  /** Overdue from the start of its date: a payment later that day ends it. */
  async cardOverdue(tx: EntityManager, c: CardOverduePayload): Promise<void> {
    await this.holdings.ensure(tx, 'card', c.cardId, c);
    await this.holdings.setCardStatus(tx, c.cardId, 'overdue', c.daysOverdue, this.startOf(c.asOf));
  }

  /** A spend (already a transaction fact) adds to what is owed. */
  async cardSpendPosted(tx: EntityManager, cardId: string, ref: HoldingRef): Promise<void> {
    await this.holdings.ensure(tx, 'card', cardId, ref);
    await this.holdings.refreshCardOutstanding(tx, cardId);
  }

  private startOf(date: string): string {
    return new Date(this.calendar.startOf(date)).toISOString();
  }
}
