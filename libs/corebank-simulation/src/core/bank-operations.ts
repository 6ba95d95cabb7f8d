import Decimal from 'decimal.js';
import {
  AccountStatus,
  CreditDebitIndicator,
  EventTypes,
  LoanClassification,
  type AccountClosedPayload,
  type AccountClosureReason,
  type AccountMaturityChangedPayload,
  type AccountOpenedPayload,
  type AccountStatusChangedPayload,
  type CardChannel,
  type CardIssuedPayload,
  type CardOverduePayload,
  type CardPaymentReceivedPayload,
  type CardSpendPostedPayload,
  type CardStatementIssuedPayload,
  type Counterparty,
  type CustomerProfileField,
  type CustomerRegisteredPayload,
  type CustomerUpdatedPayload,
  type InstitutionUpsertedPayload,
  type LoanClassificationChangedPayload,
  type LoanDisbursedPayload,
  type LoanInterestUnpaidPayload,
  type LoanOverduePayload,
  type LoanRepaymentReceivedPayload,
  type LoanScheduleChangedPayload,
  type LoanScheduleChangeReason,
  type LoanSettledPayload,
  type LoanSettlementKind,
  type ManagerUpsertedPayload,
  type TransactionChannel,
  type TransactionPostedPayload,
  type TransactionReversedPayload,
} from '@crm/contracts';
import type {
  Card,
  Customer,
  DepositAccount,
  Institution,
  Loan,
  Manager,
  OverdueInstalment,
  PlannedInstalment,
} from '../population/bank.model';
import { addDays, cstDateOf, daysBetween, monthOf, toTimestamp } from './calendar';
import type { EventFactory, SimEvent } from './event-factory';
import type { IdAllocator } from './id-allocator';
import { money, toFen, ZERO } from './money';

export interface PostingDetails {
  code: string;
  channel: TransactionChannel;
  counterparty?: Counterparty;
  remittanceInfo?: string;
}

const instalmentPayload = (i: PlannedInstalment) => ({
  sequence: i.sequence,
  dueDate: i.dueDate,
  principal: money(i.principal),
  interest: money(i.interest),
});

/**
 * Core banking's book-keeping: every operation changes the bank's state and returns the events core
 * banking publishes about it. Shared by the population stream and the scenarios, so both speak alike.
 */
export class BankOperations {
  constructor(
    private readonly factory: EventFactory,
    private readonly ids: IdAllocator,
  ) {}

  institutionUpserted(institution: Institution, at: number): SimEvent {
    const data: InstitutionUpsertedPayload = { ...institution, active: true };
    return this.factory.create(EventTypes.InstitutionUpserted, institution.institutionId, at, data);
  }

  managerUpserted(manager: Manager, at: number): SimEvent {
    const data: ManagerUpsertedPayload = { ...manager, roles: [...manager.roles], active: true };
    return this.factory.create(EventTypes.ManagerUpserted, manager.managerId, at, data);
  }

  customerRegistered(customer: Customer, at: number): SimEvent {
    const data: CustomerRegisteredPayload = { ...customer.profile, registeredOn: customer.registeredOn };
    return this.factory.create(EventTypes.CustomerRegistered, customer.profile.customerId, at, data);
  }

  customerUpdated(customer: Customer, changedFields: CustomerProfileField[], at: number): SimEvent {
    const data: CustomerUpdatedPayload = { ...customer.profile, changedFields, updatedAt: toTimestamp(at) };
    return this.factory.create(EventTypes.CustomerUpdated, customer.profile.customerId, at, data);
  }

  accountOpened(account: DepositAccount, at: number): SimEvent {
    const data: AccountOpenedPayload = {
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      kind: account.kind,
      currency: 'CNY',
      openedOn: account.openedOn,
      productCode: account.productCode,
      productName: account.productName,
      balance: money(account.balance),
    };
    if (account.maturityDate) data.maturityDate = account.maturityDate;
    if (account.managerId) data.managerId = account.managerId;
    return this.factory.create(EventTypes.AccountOpened, account.customerId, at, data);
  }

  loanDisbursed(loan: Loan, at: number): SimEvent {
    const data: LoanDisbursedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      managerId: loan.managerId,
      principal: money(loan.principal),
      productCode: loan.productCode,
      productName: loan.productName,
      disbursedOn: loan.disbursedOn,
      maturityDate: loan.maturityDate,
      interestRate: loan.interestRate,
      repaymentMethod: loan.repaymentMethod,
      settlementAccountId: loan.settlementAccountId,
      schedule: loan.schedule.map(instalmentPayload),
      classification: loan.classification,
    };
    return this.factory.create(EventTypes.LoanDisbursed, loan.customerId, at, data);
  }

  cardIssued(card: Card, at: number): SimEvent {
    const data: CardIssuedPayload = {
      cardId: card.cardId,
      customerId: card.customerId,
      institutionId: card.institutionId,
      productCode: card.productCode,
      productName: card.productName,
      maskedCardNumber: card.maskedCardNumber,
      issuedOn: card.issuedOn,
      creditLimit: money(card.creditLimit),
      statementDay: card.statementDay,
      paymentDueDays: card.paymentDueDays,
    };
    if (card.managerId) data.managerId = card.managerId;
    return this.factory.create(EventTypes.CardIssued, card.customerId, at, data);
  }

  private post(
    account: DepositAccount,
    indicator: CreditDebitIndicator,
    amount: Decimal,
    at: number,
    details: PostingDetails,
  ): SimEvent {
    account.balance =
      indicator === CreditDebitIndicator.Credit
        ? account.balance.plus(amount)
        : account.balance.minus(amount);
    const data: TransactionPostedPayload = {
      transactionId: this.ids.entryId('T', cstDateOf(at)),
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      creditDebitIndicator: indicator,
      amount: money(amount),
      bookingDate: toTimestamp(at),
      valueDate: cstDateOf(at),
      bankTransactionCode: details.code,
      channel: details.channel,
      balanceAfter: money(account.balance),
    };
    if (details.counterparty) data.counterparty = details.counterparty;
    if (details.remittanceInfo) data.remittanceInfo = details.remittanceInfo;
    return this.factory.create(EventTypes.TransactionPosted, account.customerId, at, data);
  }

  /** Credits an open account (frozen accounts still receive money). */
  credit(
    account: DepositAccount,
    amount: Decimal.Value,
    at: number,
    details: PostingDetails,
  ): SimEvent | undefined {
    if (account.status === AccountStatus.Closed) return undefined;
    return this.post(account, CreditDebitIndicator.Credit, new Decimal(amount), at, details);
  }

  /** Debits an active account; refuses (undefined) rather than overdraw it. */
  debit(
    account: DepositAccount,
    amount: Decimal.Value,
    at: number,
    details: PostingDetails,
  ): SimEvent | undefined {
    const value = new Decimal(amount);
    if (account.status !== AccountStatus.Active && account.status !== AccountStatus.Dormant) return undefined;
    if (value.lte(0) || account.balance.lt(value)) return undefined;
    const event = this.post(account, CreditDebitIndicator.Debit, value, at, details);
    if (account.status === AccountStatus.Dormant) account.status = AccountStatus.Active;
    return event;
  }

  reverse(account: DepositAccount, original: TransactionPostedPayload, at: number, reason: string): SimEvent {
    const amount = new Decimal(original.amount.amount);
    account.balance =
      original.creditDebitIndicator === CreditDebitIndicator.Debit
        ? account.balance.plus(amount)
        : account.balance.minus(amount);
    const data: TransactionReversedPayload = {
      transactionId: this.ids.entryId('T', cstDateOf(at)),
      reversedTransactionId: original.transactionId,
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      creditDebitIndicator: original.creditDebitIndicator,
      amount: money(amount),
      bookingDate: toTimestamp(at),
      valueDate: cstDateOf(at),
      balanceAfter: money(account.balance),
      reason,
    };
    return this.factory.create(EventTypes.TransactionReversed, account.customerId, at, data);
  }

  /** Closes an account, paying out whatever is left on it. */
  closeAccount(account: DepositAccount, at: number, reason: AccountClosureReason): SimEvent {
    const data: AccountClosedPayload = {
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      kind: account.kind,
      closedOn: cstDateOf(at),
      reason,
      closingBalance: money(account.balance),
    };
    account.balance = ZERO;
    account.status = AccountStatus.Closed;
    return this.factory.create(EventTypes.AccountClosed, account.customerId, at, data);
  }

  changeStatus(account: DepositAccount, to: AccountStatus, at: number, reason: string): SimEvent {
    const data: AccountStatusChangedPayload = {
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      from: account.status,
      to,
      effectiveOn: cstDateOf(at),
      reason,
    };
    account.status = to;
    return this.factory.create(EventTypes.AccountStatusChanged, account.customerId, at, data);
  }

  changeMaturity(account: DepositAccount, maturityDate: string, at: number, reason: string): SimEvent {
    const data: AccountMaturityChangedPayload = {
      accountId: account.accountId,
      customerId: account.customerId,
      institutionId: account.institutionId,
      kind: account.kind,
      previousMaturityDate: account.maturityDate!,
      maturityDate,
      effectiveOn: cstDateOf(at),
      reason,
    };
    account.maturityDate = maturityDate;
    return this.factory.create(EventTypes.AccountMaturityChanged, account.customerId, at, data);
  }

  /**
   * Collects an instalment (plus penalty interest when it is late) from the settlement account.
   * Undefined when the account cannot pay.
   */
  collectInstalment(
    loan: Loan,
    instalment: PlannedInstalment,
    account: DepositAccount,
    at: number,
    penalty: Decimal = ZERO,
  ): SimEvent[] | undefined {
    const due = new Decimal(instalment.principal).plus(instalment.interest).plus(penalty);
    const debit = this.debit(account, due, at, {
      code: 'LDAS-CSLN-RPMT',
      channel: 'batch',
      remittanceInfo: `贷款${loan.loanId}第${instalment.sequence}期还款`,
    });
    if (!debit) return undefined;
    loan.outstandingPrincipal = loan.outstandingPrincipal.minus(instalment.principal);
    const data: LoanRepaymentReceivedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      repaymentId: this.ids.entryId('R', cstDateOf(at)),
      instalmentSequence: instalment.sequence,
      receivedAt: toTimestamp(at),
      principalPaid: money(instalment.principal),
      interestPaid: money(instalment.interest),
      outstandingPrincipal: money(loan.outstandingPrincipal),
    };
    if (penalty.gt(0)) data.penaltyPaid = money(penalty);
    return [debit, this.factory.create(EventTypes.LoanRepaymentReceived, loan.customerId, at, data)];
  }

  /** Repays part of the principal outside the schedule and re-plans the rest (equal principal). */
  prepay(loan: Loan, amount: Decimal, account: DepositAccount, at: number): SimEvent[] | undefined {
    const remaining = loan.schedule.filter((i) => i.sequence >= loan.nextSequence);
    if (remaining.length < 2 || amount.gte(loan.outstandingPrincipal)) return undefined;
    const debit = this.debit(account, amount, at, {
      code: 'LDAS-CSLN-RPMT',
      channel: 'mobile',
      remittanceInfo: `贷款${loan.loanId}提前还款`,
    });
    if (!debit) return undefined;
    loan.outstandingPrincipal = loan.outstandingPrincipal.minus(amount);
    const repayment: LoanRepaymentReceivedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      repaymentId: this.ids.entryId('R', cstDateOf(at)),
      receivedAt: toTimestamp(at),
      principalPaid: money(amount),
      interestPaid: money(0),
      outstandingPrincipal: money(loan.outstandingPrincipal),
    };
    const perInstalment = toFen(loan.outstandingPrincipal.dividedBy(remaining.length));
    const rate = new Decimal(loan.interestRate);
    let left = loan.outstandingPrincipal;
    remaining.forEach((instalment, index) => {
      const principal = index === remaining.length - 1 ? left : perInstalment;
      instalment.interest = toFen(left.times(rate).dividedBy(12)).toFixed(2);
      instalment.principal = principal.toFixed(2);
      left = left.minus(principal);
    });
    return [
      debit,
      this.factory.create(EventTypes.LoanRepaymentReceived, loan.customerId, at, repayment),
      this.scheduleChanged(loan, 'prepayment', at),
    ];
  }

  /** Pays off the whole loan before maturity: principal plus interest accrued since the last due date. */
  prepayInFull(loan: Loan, account: DepositAccount, at: number): SimEvent[] | undefined {
    const lastDue =
      loan.schedule.find((i) => i.sequence === loan.nextSequence - 1)?.dueDate ?? loan.disbursedOn;
    const days = Math.max(0, daysBetween(lastDue, cstDateOf(at)));
    const interest = toFen(loan.outstandingPrincipal.times(loan.interestRate).times(days).dividedBy(360));
    const total = loan.outstandingPrincipal.plus(interest);
    const debit = this.debit(account, total, at, {
      code: 'LDAS-CSLN-RPMT',
      channel: 'counter',
      remittanceInfo: `贷款${loan.loanId}提前结清`,
    });
    if (!debit) return undefined;
    const repayment: LoanRepaymentReceivedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      repaymentId: this.ids.entryId('R', cstDateOf(at)),
      receivedAt: toTimestamp(at),
      principalPaid: money(loan.outstandingPrincipal),
      interestPaid: money(interest),
      outstandingPrincipal: money(0),
    };
    loan.outstandingPrincipal = ZERO;
    return [
      debit,
      this.factory.create(EventTypes.LoanRepaymentReceived, loan.customerId, at, repayment),
      this.settle(loan, 'prepaid', total, at),
    ];
  }

  scheduleChanged(loan: Loan, reason: LoanScheduleChangeReason, at: number): SimEvent {
    const data: LoanScheduleChangedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      reason,
      effectiveOn: cstDateOf(at),
      maturityDate: loan.maturityDate,
      interestRate: loan.interestRate,
      schedule: loan.schedule.filter((i) => i.sequence >= loan.nextSequence).map(instalmentPayload),
    };
    return this.factory.create(EventTypes.LoanScheduleChanged, loan.customerId, at, data);
  }

  interestUnpaid(loan: Loan, overdue: OverdueInstalment, at: number): SimEvent {
    const total = loan.overdue.reduce((sum, o) => sum.plus(o.instalment.interest), ZERO);
    const data: LoanInterestUnpaidPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      period: monthOf(overdue.instalment.dueDate),
      instalmentSequence: overdue.instalment.sequence,
      amountUnpaid: money(overdue.instalment.interest),
      totalInterestUnpaid: money(total),
      asOf: cstDateOf(at),
    };
    return this.factory.create(EventTypes.LoanInterestUnpaid, loan.customerId, at, data);
  }

  overdueNotice(loan: Loan, overdue: OverdueInstalment, daysOverdue: number, at: number): SimEvent {
    overdue.reported.add(daysOverdue);
    const data: LoanOverduePayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      instalmentSequence: overdue.instalment.sequence,
      dueDate: overdue.instalment.dueDate,
      daysOverdue,
      overduePrincipal: money(overdue.instalment.principal),
      overdueInterest: money(overdue.instalment.interest),
      asOf: cstDateOf(at),
    };
    return this.factory.create(EventTypes.LoanOverdue, loan.customerId, at, data);
  }

  reclassify(loan: Loan, to: LoanClassification, at: number, reason: string): SimEvent {
    const data: LoanClassificationChangedPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      from: loan.classification,
      to,
      effectiveOn: cstDateOf(at),
      reason,
    };
    loan.classification = to;
    return this.factory.create(EventTypes.LoanClassificationChanged, loan.customerId, at, data);
  }

  settle(loan: Loan, settlement: LoanSettlementKind, finalAmount: Decimal.Value, at: number): SimEvent {
    loan.settled = true;
    const data: LoanSettledPayload = {
      loanId: loan.loanId,
      customerId: loan.customerId,
      institutionId: loan.institutionId,
      settlement,
      settledOn: cstDateOf(at),
      finalAmount: money(finalAmount),
    };
    return this.factory.create(EventTypes.LoanSettled, loan.customerId, at, data);
  }

  /** Posts a card purchase; undefined when it would exceed the credit limit. */
  cardSpend(
    card: Card,
    amount: Decimal.Value,
    at: number,
    merchant: { mcc: string; name: string; channel: CardChannel },
  ): SimEvent | undefined {
    const value = new Decimal(amount);
    if (card.owed.plus(value).gt(card.creditLimit)) return undefined;
    card.owed = card.owed.plus(value);
    card.unbilled = card.unbilled.plus(value);
    const data: CardSpendPostedPayload = {
      cardId: card.cardId,
      customerId: card.customerId,
      institutionId: card.institutionId,
      spendId: this.ids.entryId('S', cstDateOf(at)),
      amount: money(value),
      postedAt: toTimestamp(at),
      merchantCategoryCode: merchant.mcc,
      merchantName: merchant.name,
      channel: merchant.channel,
    };
    return this.factory.create(EventTypes.CardSpendPosted, card.customerId, at, data);
  }

  /** Cuts the statement of `statementDate`; undefined when nothing is owed. */
  cutStatement(card: Card, statementDate: string, at: number): SimEvent | undefined {
    card.unbilled = ZERO;
    if (card.owed.lte(0)) {
      card.statement = undefined;
      return undefined;
    }
    const minimum = Decimal.min(card.owed, Decimal.max(toFen(card.owed.times('0.1')), '100.00'));
    card.statement = {
      statementDate,
      dueDate: addDays(statementDate, card.paymentDueDays),
      balance: card.owed,
      minimum,
      paid: ZERO,
      overdueReported: new Set(),
    };
    const data: CardStatementIssuedPayload = {
      cardId: card.cardId,
      customerId: card.customerId,
      institutionId: card.institutionId,
      statementDate,
      dueDate: card.statement.dueDate,
      statementBalance: money(card.owed),
      minimumPayment: money(minimum),
    };
    return this.factory.create(EventTypes.CardStatementIssued, card.customerId, at, data);
  }

  /** Pays the card from a deposit account; undefined when the account cannot pay. */
  payCard(card: Card, amount: Decimal.Value, account: DepositAccount, at: number): SimEvent[] | undefined {
    const value = new Decimal(amount);
    const debit = this.debit(account, value, at, {
      code: 'PMNT-ICDT-CCBP',
      channel: 'mobile',
      remittanceInfo: `信用卡还款 ${card.maskedCardNumber.slice(-4)}`,
    });
    if (!debit) return undefined;
    card.owed = card.owed.minus(value);
    if (card.statement) card.statement.paid = card.statement.paid.plus(value);
    const data: CardPaymentReceivedPayload = {
      cardId: card.cardId,
      customerId: card.customerId,
      institutionId: card.institutionId,
      paymentId: this.ids.entryId('P', cstDateOf(at)),
      amount: money(value),
      receivedAt: toTimestamp(at),
      outstandingBalance: money(card.owed),
    };
    return [debit, this.factory.create(EventTypes.CardPaymentReceived, card.customerId, at, data)];
  }

  cardOverdue(card: Card, daysOverdue: number, at: number): SimEvent {
    const statement = card.statement!;
    statement.overdueReported.add(daysOverdue);
    const data: CardOverduePayload = {
      cardId: card.cardId,
      customerId: card.customerId,
      institutionId: card.institutionId,
      statementDate: statement.statementDate,
      dueDate: statement.dueDate,
      daysOverdue,
      overdueAmount: money(Decimal.max(statement.minimum.minus(statement.paid), 0)),
      asOf: cstDateOf(at),
    };
    return this.factory.create(EventTypes.CardOverdue, card.customerId, at, data);
  }
}
