import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar, monthOf } from '@crm/calendar';
import {
  CardSpendPostedPayload,
  CreditDebitIndicator,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { BatchKey, EventBatch } from '@crm/messaging';
import { entryObservation } from '../balances/daily-balance.rule';
import { HoldingsService } from '../holdings/holdings.service';
import { MonthlyTables } from '../partitions/month-partition.rule';
import { PartitionsService } from '../partitions/partitions.service';
import { FactSource, TransactionFact, TransactionRepository } from './transaction.repository';

/** The months of transaction_fact a batch has made sure are attached, by `YYYY-MM`. */
const CHECKED_MONTHS = new BatchKey<Map<string, Promise<void>>>('analytics: fact months checked');

const opposite = (d: CreditDebitIndicator): CreditDebitIndicator =>
  d === CreditDebitIndicator.Credit ? CreditDebitIndicator.Debit : CreditDebitIndicator.Credit;

/**
 * Books deposit entries and card spends into transaction_fact, under the business date of their booking
 * in the bank's calendar (the month partition is made on the month's first fact), and the balance an
 * entry states into the account's daily balances.
 */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly transactions: TransactionRepository,
    private readonly partitions: PartitionsService,
    private readonly holdings: HoldingsService,
    private readonly calendar: BusinessCalendar,
  ) {}

  async posted(tx: EntityManager, batch: EventBatch, t: TransactionPostedPayload): Promise<void> {
    const counterparty = t.counterparty?.agent;
    await this.book(tx, batch, {
      ...this.entry(t),
      direction: t.creditDebitIndicator,
      bankTransactionCode: t.bankTransactionCode,
      channel: t.channel,
      otherBank: counterparty ? !counterparty.sameBank : null,
      counterpartyBankCode: counterparty?.bankCode ?? null,
      reversalOf: null,
    });
    await this.holdings.recordBalance(tx, t, entryObservation(t, this.calendar));
  }

  /** A reversal is a fact of its own, moving the money back; the entry it reverses stays as booked. */
  async reversed(tx: EntityManager, batch: EventBatch, t: TransactionReversedPayload): Promise<void> {
    await this.book(tx, batch, {
      ...this.entry(t),
      direction: opposite(t.creditDebitIndicator),
      bankTransactionCode: null,
      channel: null,
      otherBank: null,
      counterpartyBankCode: null,
      reversalOf: t.reversedTransactionId,
    });
    await this.holdings.recordBalance(tx, t, entryObservation(t, this.calendar));
  }

  async cardSpendPosted(tx: EntityManager, batch: EventBatch, c: CardSpendPostedPayload): Promise<void> {
    await this.book(tx, batch, {
      source: FactSource.Card,
      transactionId: c.spendId,
      businessDate: this.calendar.dateOf(c.postedAt),
      holdingId: c.cardId,
      customerId: c.customerId,
      institutionId: c.institutionId,
      direction: CreditDebitIndicator.Debit,
      amount: c.amount.amount,
      currency: c.amount.currency,
      bookedAt: c.postedAt,
      valueDate: null,
      bankTransactionCode: null,
      channel: c.channel,
      otherBank: null,
      counterpartyBankCode: null,
      balanceAfter: null,
      reversalOf: null,
      merchantCategoryCode: c.merchantCategoryCode,
    });
    await this.holdings.cardSpendPosted(tx, c.cardId, c);
  }

  private async book(tx: EntityManager, batch: EventBatch, fact: TransactionFact): Promise<void> {
    // Checked once per month a batch books into, not once per fact: nearly all of a batch's are in one month.
    const checked = batch.once(CHECKED_MONTHS, () => new Map<string, Promise<void>>());
    const month = monthOf(fact.businessDate);
    if (!checked.has(month))
      checked.set(month, this.partitions.ensureFor(tx, MonthlyTables.TransactionFact, fact.businessDate));
    await checked.get(month);
    await this.transactions.insert(tx, fact);
  }

  /** What a deposit entry and its reversal share. */
  private entry(t: TransactionPostedPayload | TransactionReversedPayload) {
    return {
      source: FactSource.Account,
      transactionId: t.transactionId,
      businessDate: this.calendar.dateOf(t.bookingDate),
      holdingId: t.accountId,
      customerId: t.customerId,
      institutionId: t.institutionId,
      amount: t.amount.amount,
      currency: t.amount.currency,
      bookedAt: t.bookingDate,
      valueDate: t.valueDate,
      balanceAfter: t.balanceAfter.amount,
      merchantCategoryCode: null,
    };
  }
}
