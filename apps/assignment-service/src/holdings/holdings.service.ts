import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import {
  AccountClosedPayload,
  AccountOpenedPayload,
  AccountStatus,
  AccountStatusChangedPayload,
  CardIssuedPayload,
  EventEnvelope,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { BatchKey, EventBatch } from '@crm/messaging';
import { CoverageService, SYSTEM_ACTOR } from '../coverage/coverage.service';
import { BankParametersVersion, ParametersRepository } from '../parameters/parameters.repository';
import { HoldingsRepository } from './holdings.repository';

/** The batch's customers are locked and the parameters read: the parameters. */
const LOCKED_WITH_PARAMETERS = new BatchKey<Promise<BankParametersVersion>>('assignment: batch locked');

/**
 * Keeps the holdings summary from core-banking events and, in the same transaction, recomputes the
 * customer's coverage. Each method is one event; the customer lock orders events of one customer arriving
 * on different topics.
 */
@Injectable()
export class HoldingsService {
  private readonly logger = new Logger(HoldingsService.name);

  constructor(
    private readonly holdings: HoldingsRepository,
    private readonly coverage: CoverageService,
    private readonly parameters: ParametersRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  async accountOpened(
    tx: EntityManager,
    batch: EventBatch,
    p: AccountOpenedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `account ${p.accountId} opened at ${p.institutionId}`, () =>
      this.holdings.openAccount(tx, {
        accountId: p.accountId,
        customerId: p.customerId,
        institutionId: p.institutionId,
        currency: p.balance.currency,
        balance: p.balance.amount,
        openedOn: p.openedOn,
        managerId: p.managerId ?? null,
        asOf: e.time,
      }),
    );
  }

  async accountClosed(
    tx: EntityManager,
    batch: EventBatch,
    p: AccountClosedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `account ${p.accountId} closed at ${p.institutionId}`, () =>
      this.holdings.setAccountClosed(tx, { ...p, asOf: e.time }, true),
    );
  }

  async accountStatusChanged(
    tx: EntityManager,
    batch: EventBatch,
    p: AccountStatusChangedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    // Dormant and frozen accounts are still held: only closing (or reopening) changes coverage.
    if (p.to !== AccountStatus.Closed && p.from !== AccountStatus.Closed) return;
    const closed = p.to === AccountStatus.Closed;
    await this.change(
      tx,
      batch,
      p.customerId,
      e,
      `account ${p.accountId} ${closed ? 'closed' : 'reopened'}`,
      () => this.holdings.setAccountClosed(tx, { ...p, asOf: e.time }, closed),
    );
  }

  async transactionPosted(
    tx: EntityManager,
    batch: EventBatch,
    p: TransactionPostedPayload | TransactionReversedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `balance of account ${p.accountId} changed`, () =>
      this.holdings.setBalance(tx, {
        accountId: p.accountId,
        customerId: p.customerId,
        institutionId: p.institutionId,
        currency: p.balanceAfter.currency,
        balance: p.balanceAfter.amount,
        asOf: e.time,
      }),
    );
  }

  async loanDisbursed(
    tx: EntityManager,
    batch: EventBatch,
    p: LoanDisbursedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `loan ${p.loanId} disbursed at ${p.institutionId}`, () =>
      this.holdings.disburseLoan(tx, {
        loanId: p.loanId,
        customerId: p.customerId,
        institutionId: p.institutionId,
        managerId: p.managerId,
        currency: p.principal.currency,
        outstanding: p.principal.amount,
        disbursedOn: p.disbursedOn,
        asOf: e.time,
      }),
    );
  }

  async loanRepaid(
    tx: EntityManager,
    batch: EventBatch,
    p: LoanRepaymentReceivedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `loan ${p.loanId} repaid`, async () => {
      if (!(await this.holdings.setLoanOutstanding(tx, p.loanId, p.outstandingPrincipal.amount, e.time)))
        this.unknownLoan(p.loanId, e);
    });
  }

  async loanSettled(
    tx: EntityManager,
    batch: EventBatch,
    p: LoanSettledPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `loan ${p.loanId} settled`, async () => {
      if (!(await this.holdings.settleLoan(tx, p.loanId, e.time))) this.unknownLoan(p.loanId, e);
    });
  }

  async loanIncident(
    tx: EntityManager,
    batch: EventBatch,
    p: LoanOverduePayload | LoanInterestUnpaidPayload,
    e: EventEnvelope<object>,
    what: string,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `loan ${p.loanId} ${what}`, () =>
      this.holdings.recordCreditIncident(tx, p.customerId, p.asOf),
    );
  }

  async cardIssued(
    tx: EntityManager,
    batch: EventBatch,
    p: CardIssuedPayload,
    e: EventEnvelope<object>,
  ): Promise<void> {
    await this.change(tx, batch, p.customerId, e, `card ${p.cardId} issued at ${p.institutionId}`, () =>
      this.holdings.issueCard(tx, {
        cardId: p.cardId,
        customerId: p.customerId,
        institutionId: p.institutionId,
        managerId: p.managerId ?? null,
        currency: p.creditLimit.currency,
        creditLimit: p.creditLimit.amount,
        issuedOn: p.issuedOn,
      }),
    );
  }

  private async change(
    tx: EntityManager,
    batch: EventBatch,
    customerId: string,
    event: EventEnvelope<object>,
    reason: string,
    apply: () => Promise<void>,
  ): Promise<void> {
    const parameters = await batch.once(LOCKED_WITH_PARAMETERS, () => this.lockBatch(tx, batch));
    await apply();
    await this.coverage.recompute(
      tx,
      customerId,
      { actorKind: 'system', actorId: SYSTEM_ACTOR, reason, asOf: this.calendar.dateOf(event.time) },
      parameters,
    );
  }

  /**
   * Locks every customer of the batch at once, in one order (so that two batches never deadlock over them),
   * then reads the bank parameters once for all of them: a change of parameters re-evaluates each customer
   * under its lock after committing, so no customer of the batch can miss it.
   */
  private async lockBatch(tx: EntityManager, batch: EventBatch): Promise<BankParametersVersion> {
    const customers = batch.events.flatMap((e) => {
      const { customerId } = e.data as { customerId?: unknown };
      return typeof customerId === 'string' ? [customerId] : [];
    });
    await this.holdings.lockCustomers(tx, customers);
    return this.parameters.current(tx);
  }

  // A repayment before its disbursement cannot be placed; the disbursement (same topic, same key) carries the state.
  private unknownLoan(loanId: string, event: EventEnvelope<object>): void {
    this.logger.warn({
      msg: 'event about an unknown loan ignored',
      loanId,
      eventId: event.id,
      type: event.type,
    });
  }
}
