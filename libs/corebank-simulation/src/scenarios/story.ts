import { createHash } from 'node:crypto';
import { AccountKind, BankTransactionCodes, type AlertKind, type Counterparty } from '@crm/contracts';
import { BankOperations, type PostingDetails } from '../core/bank-operations';
import { MS_PER_DAY, MS_PER_HOUR, cstAt, cstDateOf, toTimestamp } from '../core/calendar';
import { EventFactory, type SimEvent } from '../core/event-factory';
import { IdAllocator, runTagOf } from '../core/id-allocator';
import { Prng } from '../core/prng';
import type { Card, Customer, DepositAccount, Institution, Loan, Manager } from '../population/bank.model';
import { buildOrganisation, outletsOf, relationshipManagersAt } from '../population/organisation.generator';
import { personName } from '../population/people.util';
import { PopulationGenerator } from '../population/population.generator';
import { maturingDepositProduct } from '../population/product-catalogue';
import { OTHER_BANKS } from '../population/zhejiang.data';
import type { KnownCustomer } from '../campaigns/known-customer';
import type {
  ExpectedAlert,
  ExpectedAnalytics,
  ScenarioCustomer,
  ScenarioDefinition,
  ScenarioRun,
  ScenarioSegment,
} from './scenario.types';

const SPACING_MS = 10;

/**
 * The stage a scenario is told on: its own generator and ids (fresh customers per seed, start and
 * scenario), the bank's operations, a clock that only moves forward, and the list of expected alerts.
 */
export class Story {
  readonly prng: Prng;
  readonly ops: BankOperations;
  readonly startDate: string;
  private readonly generator: PopulationGenerator;
  private readonly events: SimEvent[] = [];
  private readonly expected: ExpectedAlert[] = [];
  private readonly customers: ScenarioCustomer[] = [];
  private segment?: ScenarioSegment;
  private analytics?: ExpectedAnalytics;
  private clock: number;
  readonly outlet: Institution;
  readonly manager: Manager;

  constructor(
    private readonly definition: ScenarioDefinition,
    readonly seed: number,
    readonly start: number,
    readonly correlationId: string,
  ) {
    this.prng = new Prng(seed, start, 'scenario', definition.name);
    const ids = new IdAllocator(this.prng, '9', runTagOf(this.prng));
    this.ops = new BankOperations(
      new EventFactory({ seed, start, stream: `scenario:${definition.name}` }, correlationId),
      ids,
    );
    this.startDate = cstDateOf(start);
    this.clock = start;
    const organisation = buildOrganisation(seed);
    this.generator = new PopulationGenerator(
      organisation,
      { seed, customers: 0, asOf: this.startDate },
      this.prng,
      ids,
    );
    this.outlet = this.prng.pick(outletsOf(organisation));
    this.manager = this.prng.pick(relationshipManagersAt(organisation, this.outlet.institutionId));
    // The story's own reference data: its outlet's chain up to the head office, and its manager.
    const chain: Institution[] = [];
    for (
      let at: Institution | undefined = this.outlet;
      at;
      at = organisation.institutions.find((i) => i.institutionId === at!.parentId)
    ) {
      chain.unshift(at);
    }
    for (const institution of chain) this.record(this.ops.institutionUpserted(institution, this.tick()));
    this.record(this.ops.managerUpserted(this.manager, this.tick()));
  }

  /** Advances the clock by a few milliseconds: consecutive set-up events keep their order. */
  tick(): number {
    this.clock += SPACING_MS;
    return this.clock;
  }

  /** Advances the clock by `hours` (fractions allowed) and returns the new instant. */
  wait(hours: number): number {
    this.clock += Math.round(hours * MS_PER_HOUR);
    return this.clock;
  }

  /** Moves the clock to a CST time on the day `days` after the start day; never backwards. */
  onDay(days: number, hours: number, minutes = 0): number {
    const target = cstAt(this.dayAfterStart(days), hours, minutes);
    if (target <= this.clock)
      throw new Error(`${this.definition.name}: day ${days} ${hours}:${minutes} is in the story's past`);
    this.clock = target;
    return this.clock;
  }

  /** The business day `days` after the start day. */
  dayAfterStart(days: number): string {
    return cstDateOf(this.start + days * MS_PER_DAY);
  }

  record(produced: SimEvent | SimEvent[] | undefined): SimEvent[] {
    if (!produced)
      throw new Error(`${this.definition.name}: the bank refused an operation the story relies on`);
    const list = Array.isArray(produced) ? produced : [produced];
    this.events.push(...list);
    return list;
  }

  expect(kind: AlertKind, customer: Customer, subjectRef: string, periodKey: string, because: string): void {
    this.expected.push({ kind, customerId: customer.profile.customerId, subjectRef, periodKey, because });
  }

  /** A new individual at the story's outlet, registered now. */
  individual(options: { minAge?: number; maxAge?: number } = {}): Customer {
    const customer = this.generator.individual(this.outlet, {
      minAge: options.minAge ?? 30,
      maxAge: options.maxAge ?? 55,
    });
    return this.register(customer);
  }

  corporate(): Customer {
    return this.register(this.generator.corporate(this.outlet));
  }

  private register(customer: Customer): Customer {
    customer.managerId = this.manager.managerId;
    delete customer.income;
    delete customer.payroll;
    this.customers.push({
      customerId: customer.profile.customerId,
      holdings: [],
      managerId: this.manager.managerId,
      institutionId: this.outlet.institutionId,
    });
    this.record(this.ops.customerRegistered(customer, this.tick()));
    return customer;
  }

  currentAccount(customer: Customer, balance: string): DepositAccount {
    return this.open(this.generator.currentAccount(customer, balance));
  }

  savingsAccount(customer: Customer, balance: string): DepositAccount {
    return this.open(this.generator.savingsAccount(customer, balance));
  }

  /** A time deposit or wealth product taken out earlier, maturing `daysToMaturity` after the start day. */
  maturingProduct(
    customer: Customer,
    kind: typeof AccountKind.TimeDeposit | typeof AccountKind.WealthProduct,
    principal: string,
    termMonths: number,
    daysToMaturity: number,
  ): DepositAccount {
    return this.open(
      this.generator.maturingProduct(
        customer,
        maturingDepositProduct(kind, termMonths),
        principal,
        daysToMaturity,
        this.manager.managerId,
      ),
    );
  }

  loan(
    customer: Customer,
    settlement: DepositAccount,
    terms: Parameters<PopulationGenerator['loan']>[2],
  ): Loan {
    const loan = this.generator.loan(customer, settlement, terms);
    this.record(this.ops.loanDisbursed(loan, this.tick()));
    this.hold(loan.customerId, loan.loanId);
    return loan;
  }

  card(
    customer: Customer,
    settlement: DepositAccount,
    terms: { creditLimit: string; statementDay: number },
  ): Card {
    // The payer habit only steers the population stream; a story makes its payments itself.
    const card = this.generator.card(customer, settlement, { ...terms, payer: 'late' });
    this.record(this.ops.cardIssued(card, this.tick()));
    this.hold(card.customerId, card.cardId);
    return card;
  }

  private open(account: DepositAccount): DepositAccount {
    account.managerId = this.manager.managerId;
    this.record(this.ops.accountOpened(account, this.tick()));
    this.hold(account.customerId, account.accountId);
    return account;
  }

  private hold(customerId: string, holdingId: string): void {
    this.customers.find((c) => c.customerId === customerId)?.holdings.push(holdingId);
  }

  /** States what a close of business on a date after the story must find about its customers. */
  expectAnalytics(analytics: ExpectedAnalytics): void {
    this.analytics = analytics;
  }

  /** Marks the story's customers a campaign is to target: the run carries them with their current accounts. */
  targetSegment(members: KnownCustomer[]): void {
    this.segment = { outlet: this.outlet, manager: this.manager, members };
  }

  /** Someone at another bank (a transfer's other side). */
  otherBankParty(name = personName(this.prng)): Counterparty {
    const bank = this.prng.pick(OTHER_BANKS);
    return {
      agent: { sameBank: false, ...bank },
      name,
      accountReference: `6${this.prng.digits(3)}****${this.prng.digits(4)}`,
    };
  }

  credit(account: DepositAccount, amount: string, at: number, details: PostingDetails): SimEvent {
    return this.record(this.ops.credit(account, amount, at, details))[0];
  }

  debit(account: DepositAccount, amount: string, at: number, details: PostingDetails): SimEvent {
    return this.record(this.ops.debit(account, amount, at, details))[0];
  }

  /** A transfer received from another bank. */
  receiveFromOtherBank(
    account: DepositAccount,
    amount: string,
    at: number,
    from?: string,
    remittanceInfo?: string,
  ): SimEvent {
    return this.credit(account, amount, at, {
      code: BankTransactionCodes.TransferReceived,
      channel: 'online',
      counterparty: this.otherBankParty(from),
      ...(remittanceInfo ? { remittanceInfo } : {}),
    });
  }

  /** A transfer sent to another bank. */
  sendToOtherBank(account: DepositAccount, amount: string, at: number, to?: string): SimEvent {
    return this.debit(account, amount, at, {
      code: BankTransactionCodes.TransferSent,
      channel: 'mobile',
      counterparty: this.otherBankParty(to),
    });
  }

  run(): ScenarioRun {
    this.definition.tell(this);
    return {
      name: this.definition.name,
      summary: this.definition.summary,
      correlationId: this.correlationId,
      events: this.events,
      expectedAlerts: this.expected,
      customerIds: this.customers.map((c) => c.customerId),
      customers: this.customers,
      ...(this.segment ? { segment: this.segment } : {}),
      ...(this.analytics ? { analytics: this.analytics } : {}),
      startsAt: toTimestamp(this.start),
      endsAt: this.events[this.events.length - 1].time,
    };
  }
}

/** Tells a scenario for a seed and start. */
export function tellScenario(definition: ScenarioDefinition, seed: number, start: number): ScenarioRun {
  const tag = createHash('sha256').update(`${seed}|${start}|${definition.name}`).digest('hex').slice(0, 10);
  return new Story(definition, seed, start, `sim-${definition.name}-${tag}`).run();
}
