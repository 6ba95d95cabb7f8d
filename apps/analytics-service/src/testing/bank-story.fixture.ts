import { addDays } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes } from '@crm/contracts';
import { Money } from '@crm/persistence';
import { WarehouseFeed, at, calendar } from './warehouse.fixture';

/** A customer of the story, with who covers them (since 2023, before every business date of the tests). */
export interface StoryCustomer {
  customerId: string;
  institutionId: string;
  managerId: string;
  registeredOn: string;
}

/** An account or a loan as the story tells it: its end-of-day balance on each date a fact stated one. */
export interface StoryHolding {
  id: string;
  customerId: string;
  kind: string;
  productCode: string;
  currency: string;
  since: string;
  /** Closed or settled on. */
  until: string | null;
  endOfDay: Map<string, string>;
}

export interface StoryCard {
  id: string;
  customerId: string;
  issuedOn: string;
  productCode: string;
  /** What statements and payments stated, at their instant (epoch ms). */
  stated: { at: number; balance: string }[];
  spends: { at: number; date: string; amount: string }[];
}

/** A transaction on a channel: an account entry or a card spend. */
export interface StoryTransaction {
  customerId: string;
  date: string;
  amount: string;
  currency: string;
  channel: string;
}

const PRODUCT_CODES: Record<string, string> = {
  current: 'CA-01',
  savings: 'SA-01',
  'time-deposit': 'TD-12M',
  'wealth-product': 'WM-90D',
};

const COVERED_SINCE = '2023-01-01T09:00:00.000+08:00';

/**
 * A small bank's story for close-of-business tests: each step publishes the core-banking event (through the
 * harness) and writes down what it means, so a test can compute every figure again on its own
 * (`cob-reference.ts`). Steps must be told in time order per holding.
 */
export class BankStory {
  readonly customers = new Map<string, StoryCustomer>();
  readonly holdings = new Map<string, StoryHolding>();
  readonly cards = new Map<string, StoryCard>();
  readonly transactions: StoryTransaction[] = [];
  private coverageVersion = 0;

  constructor(readonly feed: WarehouseFeed) {}

  id(name: string): string {
    return `${name}-${this.feed.suffix}`;
  }

  async customer(name: string, institutionId: string, managerId: string, registeredOn = '2015-06-18') {
    const customerId = this.id(name);
    const c: StoryCustomer = { customerId, institutionId, managerId, registeredOn };
    this.customers.set(customerId, c);
    await this.feed.publishEvent(EventTypes.CustomerRegistered, customerId, {
      ...EVENT_SAMPLES[EventTypes.CustomerRegistered],
      customerId,
      homeInstitutionId: institutionId,
      registeredOn,
    });
    await this.feed.publishEvent(EventTypes.CoverageChanged, customerId, {
      customerId,
      version: (this.coverageVersion += 1),
      primary: { institutionId, managerId, reason: 'largest-deposit', basis: 'automatic' },
      secondary: [],
      keyCustomer: false,
      privateBankerId: null,
      changedAt: COVERED_SINCE,
      changedBy: 'system',
      note: 'story',
    });
    return c;
  }

  async openAccount(
    c: StoryCustomer,
    name: string,
    kind: string,
    openedOn: string,
    balance: string,
    currency = 'CNY',
  ) {
    const account: StoryHolding = {
      id: this.id(name),
      customerId: c.customerId,
      kind,
      productCode: PRODUCT_CODES[kind],
      currency,
      since: openedOn,
      until: null,
      endOfDay: new Map([[openedOn, balance]]),
    };
    this.holdings.set(account.id, account);
    const maturing = kind === 'time-deposit' || kind === 'wealth-product';
    await this.feed.publishAt(
      EventTypes.AccountOpened,
      c.customerId,
      {
        customerId: c.customerId,
        institutionId: c.institutionId,
        accountId: account.id,
        kind,
        currency,
        openedOn,
        maturityDate: maturing ? addDays(openedOn, 365 * 5) : undefined,
        productCode: account.productCode,
        productName: kind,
        balance: { amount: balance, currency },
      },
      at(openedOn, 9),
    );
    return account;
  }

  /** An entry of `amount` (signed: negative is a debit) on the account at `hour` of `date`. */
  async entry(
    name: string,
    date: string,
    hour: number,
    amount: string,
    channel: string,
    otherBankCode?: string,
  ) {
    const account = this.holdings.get(this.id(name))!;
    const c = this.customers.get(account.customerId)!;
    const before = [...account.endOfDay.entries()].sort(([a], [b]) => a.localeCompare(b)).at(-1)![1];
    const after = new Money(before).plus(amount).toFixed(2);
    account.endOfDay.set(date, after);
    const magnitude = new Money(amount).abs().toFixed(2);
    if (channel !== 'batch')
      this.transactions.push({
        customerId: c.customerId,
        date,
        amount: magnitude,
        currency: account.currency,
        channel,
      });
    const bookedAt = at(date, hour);
    await this.feed.publishAt(
      EventTypes.TransactionPosted,
      c.customerId,
      {
        customerId: c.customerId,
        institutionId: c.institutionId,
        transactionId: this.id(`T-${name}-${date}-${hour}`),
        accountId: account.id,
        creditDebitIndicator: amount.startsWith('-') ? 'DBIT' : 'CRDT',
        amount: { amount: magnitude, currency: account.currency },
        bookingDate: bookedAt,
        valueDate: date,
        bankTransactionCode: amount.startsWith('-') ? 'PMNT-ICDT-DMCT' : 'PMNT-RCDT-DMCT',
        channel,
        counterparty: {
          agent: otherBankCode ? { sameBank: false, bankCode: otherBankCode } : { sameBank: true },
        },
        balanceAfter: { amount: after, currency: account.currency },
      },
      bookedAt,
    );
  }

  async closeAccount(name: string, closedOn: string) {
    const account = this.holdings.get(this.id(name))!;
    const c = this.customers.get(account.customerId)!;
    account.endOfDay.set(closedOn, '0.00');
    account.until = closedOn;
    await this.feed.publishAt(
      EventTypes.AccountClosed,
      c.customerId,
      {
        customerId: c.customerId,
        institutionId: c.institutionId,
        accountId: account.id,
        kind: account.kind,
        closedOn,
        reason: 'customer-request',
        closingBalance: { amount: '0.00', currency: account.currency },
      },
      at(closedOn, 16),
    );
  }

  async disburse(c: StoryCustomer, name: string, disbursedOn: string, principal: string) {
    const loan: StoryHolding = {
      id: this.id(name),
      customerId: c.customerId,
      kind: 'loan',
      productCode: 'PL-CONSUMER',
      currency: 'CNY',
      since: disbursedOn,
      until: null,
      endOfDay: new Map([[disbursedOn, principal]]),
    };
    this.holdings.set(loan.id, loan);
    await this.feed.loanDisbursed({ ...c }, loan.id, disbursedOn, principal);
  }

  async repay(name: string, date: string, outstanding: string) {
    const loan = this.holdings.get(this.id(name))!;
    loan.endOfDay.set(date, outstanding);
    const c = this.customers.get(loan.customerId)!;
    await this.feed.loanRepaid(c, loan.id, this.id(`R-${name}-${date}`), at(date, 11), outstanding);
  }

  async issueCard(c: StoryCustomer, name: string, issuedOn: string) {
    const card: StoryCard = {
      id: this.id(name),
      customerId: c.customerId,
      issuedOn,
      productCode: 'CC-GOLD',
      stated: [],
      spends: [],
    };
    this.cards.set(card.id, card);
    await this.feed.cardIssued(c, card.id, issuedOn);
  }

  async spend(name: string, date: string, hour: number, amount: string, channel: string) {
    const card = this.cards.get(this.id(name))!;
    const c = this.customers.get(card.customerId)!;
    const postedAt = at(date, hour);
    card.spends.push({ at: Date.parse(postedAt), date, amount });
    this.transactions.push({ customerId: c.customerId, date, amount, currency: 'CNY', channel });
    await this.feed.publishAt(
      EventTypes.CardSpendPosted,
      c.customerId,
      {
        customerId: c.customerId,
        institutionId: c.institutionId,
        cardId: card.id,
        spendId: this.id(`S-${name}-${date}-${hour}`),
        amount: { amount, currency: 'CNY' },
        postedAt,
        merchantCategoryCode: '5411',
        channel,
      },
      postedAt,
    );
  }

  /** A statement is cut at 23:00 of its date (the event's time). */
  async statement(name: string, date: string, balance: string) {
    const card = this.cards.get(this.id(name))!;
    card.stated.push({ at: calendar.at(date, 23), balance });
    await this.feed.cardStatement(this.customers.get(card.customerId)!, card.id, date, balance);
  }

  async payment(name: string, date: string, hour: number, outstanding: string) {
    const card = this.cards.get(this.id(name))!;
    card.stated.push({ at: calendar.at(date, hour), balance: outstanding });
    await this.feed.cardPayment(
      this.customers.get(card.customerId)!,
      card.id,
      this.id(`P-${name}-${date}`),
      at(date, hour),
      outstanding,
    );
  }
}
