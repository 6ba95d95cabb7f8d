import { BusinessCalendar, DEFAULT_BANK_TIME_ZONE } from '@crm/calendar';
import { EventEnvelope, EventType, EventTypes } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import type { EventFeed } from '@crm/testing';

export const calendar = new BusinessCalendar(DEFAULT_BANK_TIME_ZONE);

/** A wall-clock time on a business date in the bank's zone, as core banking writes it (RFC 3339 with offset). */
export const at = (date: string, hours: number, minutes = 0): string =>
  calendar.timestamp(calendar.at(date, hours, minutes));

const cny = (amount: string) => ({ amount, currency: 'CNY' });

/** Who holds a holding and where. */
export interface Holder {
  customerId: string;
  institutionId: string;
}

/** A deposit entry as a test states it; the rest is a plausible default. */
export interface EntrySpec {
  transactionId: string;
  accountId: string;
  bookedAt: string;
  direction: 'CRDT' | 'DBIT';
  amount: string;
  balanceAfter: string;
  channel?: string;
  /** A transfer with another bank (its CNAPS code); none for cash. */
  otherBankCode?: string;
}

/**
 * The core-banking story of analytics-service's tests, published through the harness. Every envelope is
 * kept (`sent`), so a test can deliver the same facts again; `time` is when core banking says each happened.
 */
export class WarehouseFeed implements EventFeed {
  readonly sent: EventEnvelope<object>[] = [];

  constructor(readonly harness: ServiceHarness) {}

  get suffix(): string {
    return this.harness.suffix;
  }

  drained(): Promise<void> {
    return this.harness.drained();
  }

  publishEvent(type: EventType, subject: string, data: object): Promise<EventEnvelope<object>> {
    return this.publishAt(type, subject, data);
  }

  /** Publishes one event stated at `time`, by default the harness clock's next. */
  async publishAt(
    type: EventType,
    subject: string,
    data: object,
    time?: string,
  ): Promise<EventEnvelope<object>> {
    const envelope = this.harness.clock.envelope(type, subject, data);
    const stated = time ? { ...envelope, time } : envelope;
    await this.harness.publish(stated);
    this.sent.push(stated);
    return stated;
  }

  accountOpened(
    holder: Holder,
    accountId: string,
    spec: { kind: string; openedOn: string; balance: string; time: string; maturityDate?: string },
  ) {
    const deposit = spec.kind === 'time-deposit';
    return this.publishAt(
      EventTypes.AccountOpened,
      holder.customerId,
      {
        ...holder,
        accountId,
        kind: spec.kind,
        currency: 'CNY',
        openedOn: spec.openedOn,
        maturityDate: spec.maturityDate,
        productCode: deposit ? 'TD-12M' : 'CA-01',
        productName: deposit ? '整存整取一年期' : '活期储蓄',
        balance: cny(spec.balance),
      },
      spec.time,
    );
  }

  entry(holder: Holder, spec: EntrySpec) {
    return this.publishAt(
      EventTypes.TransactionPosted,
      holder.customerId,
      {
        ...holder,
        transactionId: spec.transactionId,
        accountId: spec.accountId,
        creditDebitIndicator: spec.direction,
        amount: cny(spec.amount),
        bookingDate: spec.bookedAt,
        valueDate: calendar.dateOf(spec.bookedAt),
        bankTransactionCode: spec.direction === 'CRDT' ? 'PMNT-RCDT-DMCT' : 'PMNT-ICDT-DMCT',
        channel: spec.channel ?? 'mobile',
        counterparty: spec.otherBankCode
          ? { agent: { sameBank: false, bankCode: spec.otherBankCode } }
          : { agent: { sameBank: true } },
        balanceAfter: cny(spec.balanceAfter),
      },
      spec.bookedAt,
    );
  }

  loanDisbursed(
    holder: Holder & { managerId: string },
    loanId: string,
    disbursedOn: string,
    principal: string,
  ) {
    return this.publishAt(
      EventTypes.LoanDisbursed,
      holder.customerId,
      {
        ...holder,
        loanId,
        principal: cny(principal),
        productCode: 'PL-CONSUMER',
        productName: '个人消费贷款',
        disbursedOn,
        maturityDate: '2025-01-12',
        interestRate: '0.0435',
        repaymentMethod: 'interest-only-bullet',
        schedule: [
          { sequence: 1, dueDate: '2025-01-12', principal: cny(principal), interest: cny('2610.00') },
        ],
        classification: 'normal',
      },
      at(disbursedOn, 10),
    );
  }

  loanRepaid(holder: Holder, loanId: string, repaymentId: string, receivedAt: string, outstanding: string) {
    return this.publishAt(
      EventTypes.LoanRepaymentReceived,
      holder.customerId,
      {
        ...holder,
        loanId,
        repaymentId,
        receivedAt,
        principalPaid: cny('20000.00'),
        interestPaid: cny('217.50'),
        outstandingPrincipal: cny(outstanding),
      },
      receivedAt,
    );
  }

  cardIssued(holder: Holder, cardId: string, issuedOn: string) {
    return this.publishAt(
      EventTypes.CardIssued,
      holder.customerId,
      {
        ...holder,
        cardId,
        productCode: 'CC-GOLD',
        productName: '丰收金卡',
        maskedCardNumber: '622588******1234',
        issuedOn,
        creditLimit: cny('50000.00'),
        statementDay: 25,
        paymentDueDays: 20,
      },
      at(issuedOn, 10),
    );
  }

  cardSpend(holder: Holder, cardId: string, spendId: string, postedAt: string, amount: string) {
    return this.publishAt(
      EventTypes.CardSpendPosted,
      holder.customerId,
      {
        ...holder,
        cardId,
        spendId,
        amount: cny(amount),
        postedAt,
        merchantCategoryCode: '5411',
        channel: 'pos',
      },
      postedAt,
    );
  }

  cardStatement(holder: Holder, cardId: string, statementDate: string, balance: string) {
    return this.publishAt(
      EventTypes.CardStatementIssued,
      holder.customerId,
      {
        ...holder,
        cardId,
        statementDate,
        dueDate: '2024-02-14',
        statementBalance: cny(balance),
        minimumPayment: cny('30.00'),
      },
      at(statementDate, 23),
    );
  }

  cardPayment(holder: Holder, cardId: string, paymentId: string, receivedAt: string, outstanding: string) {
    return this.publishAt(
      EventTypes.CardPaymentReceived,
      holder.customerId,
      {
        ...holder,
        cardId,
        paymentId,
        amount: cny('300.00'),
        receivedAt,
        outstandingBalance: cny(outstanding),
      },
      receivedAt,
    );
  }
}

/** Every table of the warehouse, each row as its JSON text, in a stable order: what a replay must rebuild. */
export const WAREHOUSE_TABLES = [
  'customer',
  'institution',
  'manager',
  'coverage',
  'coverage_history',
  'account',
  'loan',
  'card',
  'card_stated_balance',
  'transaction_fact',
  'daily_balance',
] as const;

export async function warehouseRows(harness: ServiceHarness): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of WAREHOUSE_TABLES) {
    const found = await harness.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM $schema.${table} t`,
    );
    rows[table] = found.map((r) => r.row).sort();
  }
  return rows;
}
