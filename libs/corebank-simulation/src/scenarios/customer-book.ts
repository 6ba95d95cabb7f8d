import Decimal from 'decimal.js';
import {
  AccountClosureReason,
  AccountKind,
  AccountStatus,
  BankTransactionCodes,
  type TransactionChannel,
} from '@crm/contracts';
import type { PostingDetails } from '../core/bank-operations';
import { addDays, addMonths, cstDateOf } from '../core/calendar';
import { toFen, ZERO } from '../core/money';
import type { Customer, DepositAccount } from '../population/bank.model';
import type { ExpectedFacts } from './scenario.types';
import type { Story } from './story';

const DEMAND_KINDS: readonly AccountKind[] = [AccountKind.Current, AccountKind.Savings];

/**
 * One customer's deposit accounts and what the story does with them, kept by the story itself so that it
 * can state the customer's figures (ExpectedFacts) without reading its own events back. Every entry of
 * the customer goes through the book; `closeDay` notes the AUM at the end of each day told.
 */
export class CustomerBook {
  private readonly entries: { on: string; channel: TransactionChannel }[] = [];
  private readonly aumAtEndOf = new Map<string, Decimal>();
  private readonly transfersOut: { on: string; amount: Decimal }[] = [];
  private readonly closed: ExpectedFacts['closed'] = [];
  private readonly maturedNotRenewed: { accountId: string; on: string }[] = [];

  constructor(
    private readonly story: Story,
    readonly customer: Customer,
    readonly accounts: DepositAccount[],
  ) {}

  credit(account: DepositAccount, amount: Decimal.Value, at: number, details: PostingDetails): void {
    this.story.credit(account, new Decimal(amount).toFixed(2), at, details);
    this.entry(at, details.channel);
  }

  debit(account: DepositAccount, amount: Decimal.Value, at: number, details: PostingDetails): void {
    this.story.debit(account, new Decimal(amount).toFixed(2), at, details);
    this.entry(at, details.channel);
  }

  /** A credit transfer to the customer's own account at another bank. */
  sendToOtherBank(
    account: DepositAccount,
    amount: Decimal.Value,
    at: number,
    channel: TransactionChannel,
  ): void {
    this.story.debit(account, new Decimal(amount).toFixed(2), at, {
      code: BankTransactionCodes.TransferSent,
      channel,
      counterparty: this.story.otherBankParty(this.customer.profile.name),
      remittanceInfo: '转账',
    });
    this.entry(at, channel);
    this.transfersOut.push({ on: cstDateOf(at), amount: new Decimal(amount) });
  }

  /** Closes an emptied account at the customer's request. */
  closeAtRequest(account: DepositAccount, at: number): void {
    if (!account.balance.isZero()) throw new Error(`${account.accountId} must be emptied before closing`);
    this.story.record(this.story.ops.closeAccount(account, at, AccountClosureReason.CustomerRequest));
    this.closed.push({
      accountId: account.accountId,
      kind: account.kind,
      reason: AccountClosureReason.CustomerRequest,
      closedOn: cstDateOf(at),
    });
  }

  /**
   * A time deposit or wealth product reaches its maturity date, as core banking settles it (see the
   * activity stream): interest for the term is credited, then it is either renewed for another term or
   * closed and paid out to `payout`.
   */
  mature(product: DepositAccount, at: number, outcome: { renew: true } | { payout: DepositAccount }): void {
    const interest = toFen(
      product.balance
        .times(product.rate ?? '0')
        .times(product.termMonths ?? 12)
        .dividedBy(12),
    );
    this.credit(product, interest, at, { code: BankTransactionCodes.InterestCredited, channel: 'batch' });
    if ('renew' in outcome) {
      this.story.record(
        this.story.ops.changeMaturity(
          product,
          addMonths(product.maturityDate!, product.termMonths ?? 12),
          at,
          '到期自动转存',
        ),
      );
      return;
    }
    const proceeds = product.balance;
    this.story.record(this.story.ops.closeAccount(product, at, AccountClosureReason.Matured));
    this.closed.push({
      accountId: product.accountId,
      kind: product.kind,
      reason: AccountClosureReason.Matured,
      closedOn: cstDateOf(at),
    });
    this.maturedNotRenewed.push({ accountId: product.accountId, on: cstDateOf(at) });
    this.credit(outcome.payout, proceeds, at, {
      code: BankTransactionCodes.DepositMaturity,
      channel: 'batch',
      counterparty: { agent: { sameBank: true }, accountReference: product.accountId },
      remittanceInfo: product.kind === AccountKind.TimeDeposit ? '定期到期本息' : '理财到期兑付',
    });
  }

  /** Notes the customer's AUM at the end of `date`, once the day's entries are told. */
  closeDay(date: string): void {
    this.aumAtEndOf.set(
      date,
      this.balanceOf(() => true),
    );
  }

  /**
   * The customer's figures at the end of `businessDate`, asked once the story has told that day (its last):
   * balances and holdings are read as they stand, the AUM of the day 30 before as `closeDay` noted it.
   */
  factsAsOf(businessDate: string): ExpectedFacts {
    const monthBefore = addDays(businessDate, -30);
    const aumOn = (date: string) => {
      const aum = this.aumAtEndOf.get(date);
      if (!aum) throw new Error(`the story told no end of ${date} for ${this.customer.profile.customerId}`);
      return aum.toFixed(2);
    };
    const inLast30 = (date: string) => date > monthBefore && date <= businessDate;
    const inPrevious90 = (date: string) => date > addDays(monthBefore, -90) && date <= monthBefore;
    const inLast90 = (date: string) => date > addDays(businessDate, -90) && date <= businessDate;
    const count = (within: (date: string) => boolean) => this.entries.filter((e) => within(e.on)).length;
    const channels: ExpectedFacts['channelsLast90Days'] = {};
    for (const { channel } of this.entries.filter((e) => inLast90(e.on)))
      channels[channel] = (channels[channel] ?? 0) + 1;
    const transfers = this.transfersOut.filter((t) => inLast30(t.on));
    const entryDates = this.entries
      .map((e) => e.on)
      .filter((date) => date <= businessDate)
      .sort();
    const facts: ExpectedFacts = {
      aum: { thirtyDaysBefore: aumOn(monthBefore), businessDate: aumOn(businessDate) },
      demandDeposits: this.balanceOf((a) => DEMAND_KINDS.includes(a.kind)).toFixed(2),
      holdsWealthProduct: this.accounts.some(
        (a) => a.kind === AccountKind.WealthProduct && a.status !== AccountStatus.Closed,
      ),
      entries: {
        last30Days: count(inLast30),
        last90Days: count(inLast90),
        previous90Days: count(inPrevious90),
      },
      channelsLast90Days: channels,
      transfersToOtherBanks: {
        count: transfers.length,
        amount: transfers.reduce((sum, t) => sum.plus(t.amount), ZERO).toFixed(2),
      },
      closed: this.closed.filter((c) => inLast30(c.closedOn)),
      maturedNotRenewed: this.maturedNotRenewed.filter((m) => inLast30(m.on)).map((m) => m.accountId),
    };
    if (entryDates.length > 0) facts.lastEntryOn = entryDates[entryDates.length - 1];
    return facts;
  }

  private balanceOf(counted: (account: DepositAccount) => boolean): Decimal {
    return this.accounts
      .filter((a) => a.status !== AccountStatus.Closed && counted(a))
      .reduce((sum, a) => sum.plus(a.balance), ZERO);
  }

  private entry(at: number, channel: TransactionChannel): void {
    this.entries.push({ on: cstDateOf(at), channel });
  }
}
