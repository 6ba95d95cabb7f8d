import Decimal from 'decimal.js';
import {
  AccountKind,
  AccountStatus,
  CustomerKind,
  Gender,
  LoanClassification,
  RepaymentMethod,
  type IndustrySection,
} from '@crm/contracts';
import { addDays, addMonths, ageOn, daysBetween } from '../core/calendar';
import { toFen } from '../core/money';
import { IdAllocator } from '../core/id-allocator';
import { Prng } from '../core/prng';
import type {
  Bank,
  Card,
  CardPayer,
  Customer,
  DepositAccount,
  Institution,
  Loan,
  Organisation,
} from './bank.model';
import { buildSchedule } from './loan-schedule.util';
import {
  BUSINESS_LOAN,
  CONSUMER_LOAN,
  CORPORATE_CURRENT_ACCOUNT,
  CURRENT_ACCOUNT,
  GOLD_CARD,
  GOLD_CARD_MIN_LIMIT,
  MORTGAGE,
  SAVINGS_ACCOUNT,
  STANDARD_CARD,
  TIME_DEPOSITS,
  WEALTH_PRODUCTS,
  WORKING_CAPITAL_LOAN,
  type DepositProduct,
  type LoanProduct,
} from './product-catalogue';
import {
  buildOrganisation,
  outletsOf,
  privateBankersFor,
  relationshipManagersAt,
} from './organisation.generator';
import { mobileNumber, personName, residentIdNumber, unifiedSocialCreditCode } from './people.util';
import {
  BRANCH_DISTRICTS,
  COMPANY_TRADES,
  COMPANY_WORDS,
  EMPLOYERS,
  HOME_REGIONS,
  OTHER_BANKS,
} from './zhejiang.data';

export interface PopulationOptions {
  seed: number;
  customers: number;
  /** The business day the simulation starts (CST); every date is relative to it. */
  asOf: string;
}

/** A random birth date giving an age within [minAge, maxAge] on `asOf`. */
const birthDateFor = (prng: Prng, asOf: string, minAge: number, maxAge: number): string => {
  const latest = addMonths(asOf, -12 * minAge);
  const earliest = addDays(addMonths(asOf, -12 * (maxAge + 1)), 1);
  return addDays(earliest, prng.int(0, daysBetween(earliest, latest)));
};

export interface LoanTerms {
  principal: string;
  rate: string;
  months: number;
  method: RepaymentMethod;
  productCode: string;
  productName: string;
  disbursedOn: string;
  firstDueDate?: string;
}

const ageWeights: readonly (readonly [[number, number], number])[] = [
  [[18, 24], 10],
  [[25, 34], 22],
  [[35, 44], 22],
  [[45, 54], 20],
  [[55, 64], 14],
  [[65, 74], 9],
  [[75, 85], 3],
];

export class PopulationGenerator {
  private readonly prng: Prng;
  private readonly ids: IdAllocator;
  private readonly outlets: Institution[];

  constructor(
    private readonly organisation: Organisation,
    private readonly options: PopulationOptions,
    prng?: Prng,
    ids?: IdAllocator,
  ) {
    this.prng = prng ?? new Prng(options.seed, 'population');
    this.ids = ids ?? new IdAllocator(this.prng, '1', '000000');
    this.outlets = outletsOf(organisation);
  }

  generate(): Bank {
    const bank: Bank = { ...this.organisation, customers: [], accounts: [], loans: [], cards: [] };
    for (let i = 0; i < this.options.customers; i++) {
      const outlet = this.prng.pick(this.outlets);
      const customer = this.prng.chance(0.1) ? this.corporate(outlet) : this.individual(outlet);
      bank.customers.push(customer);
      this.products(bank, customer, outlet);
    }
    return bank;
  }

  private managerAt(outlet: Institution): string {
    return this.prng.pick(relationshipManagersAt(this.organisation, outlet.institutionId)).managerId;
  }

  individual(outlet: Institution, overrides: { minAge?: number; maxAge?: number } = {}): Customer {
    const { asOf } = this.options;
    const [minAge, maxAge] =
      overrides.minAge !== undefined
        ? [overrides.minAge, overrides.maxAge ?? overrides.minAge]
        : this.prng.weighted(ageWeights);
    const birthDate = birthDateFor(this.prng, asOf, minAge, maxAge);
    const gender = this.prng.chance(0.5) ? Gender.Male : Gender.Female;
    const birthRegion = this.prng.weighted(HOME_REGIONS);
    const livesIn = this.prng.chance(0.8) ? outlet.regionCode : this.prng.weighted(HOME_REGIONS);
    const adultOn = addMonths(birthDate, 12 * 18);
    const twentyYearsAgo = addMonths(asOf, -12 * 20);
    const registeredOn = this.dateSince(adultOn > twentyYearsAgo ? adultOn : twentyYearsAgo);
    const age = ageOn(birthDate, asOf);
    const customer: Customer = {
      profile: {
        customerId: this.ids.customerId(),
        kind: CustomerKind.Individual,
        name: personName(this.prng),
        idNumber: residentIdNumber(this.prng, birthRegion, birthDate, gender),
        gender,
        birthDate,
        phone: mobileNumber(this.prng),
        regionCode: livesIn,
        homeInstitutionId: outlet.institutionId,
      },
      registeredOn,
      managerId: this.managerAt(outlet),
      activity: 0.3 + this.prng.next() * 1.7,
    };
    if (age >= 60) {
      customer.income = {
        kind: 'pension',
        amount: this.prng.amount({
          median: '3800',
          sigma: 0.35,
          min: '1800.00',
          max: '15000.00',
          step: '0.01',
        }),
        dayOfMonth: 5,
        payer: '浙江省社会保险事业管理服务中心',
        payerBank: this.prng.chance(0.5) ? { sameBank: true } : { sameBank: false, ...OTHER_BANKS[3] },
      };
    } else if (age >= 22 && this.prng.chance(0.75)) {
      const employerBank = this.prng.chance(0.3)
        ? { sameBank: true }
        : { sameBank: false, ...this.prng.pick(OTHER_BANKS) };
      customer.income = {
        kind: 'salary',
        amount: this.prng.amount({
          median: '8500',
          sigma: 0.55,
          min: '2490.00',
          max: '90000.00',
          step: '0.01',
        }),
        dayOfMonth: this.prng.pick([5, 10, 15, 20, 25]),
        payer: this.prng.pick(EMPLOYERS),
        payerBank: employerBank,
      };
    }
    return customer;
  }

  corporate(outlet: Institution): Customer {
    const district = BRANCH_DISTRICTS.find((d) => d.code === outlet.regionCode) ?? BRANCH_DISTRICTS[0];
    const [industry, trade] = this.prng.pick(COMPANY_TRADES);
    return {
      profile: {
        customerId: this.ids.customerId(),
        kind: CustomerKind.Corporate,
        name: `${district.city}${this.prng.pick(COMPANY_WORDS)}${trade}有限公司`,
        unifiedSocialCreditCode: unifiedSocialCreditCode(this.prng, outlet.regionCode),
        industry: industry as IndustrySection,
        phone: mobileNumber(this.prng),
        regionCode: outlet.regionCode,
        homeInstitutionId: outlet.institutionId,
      },
      registeredOn: addDays(this.options.asOf, -this.prng.int(60, 15 * 365)),
      managerId: this.managerAt(outlet),
      payroll: {
        amount: this.prng.amount({
          median: '120000',
          sigma: 0.8,
          min: '20000.00',
          max: '3000000.00',
          step: '0.01',
        }),
        dayOfMonth: this.prng.pick([10, 15]),
      },
      activity: 0.5 + this.prng.next() * 1.5,
    };
  }

  /** A date between `from` and the day before `asOf`. */
  private dateSince(from: string): string {
    return addDays(from, this.prng.int(0, Math.max(0, daysBetween(from, this.options.asOf) - 1)));
  }

  currentAccount(
    customer: Customer,
    balance: string,
    openedOn = this.dateSince(customer.registeredOn),
  ): DepositAccount {
    const product =
      customer.profile.kind === CustomerKind.Corporate ? CORPORATE_CURRENT_ACCOUNT : CURRENT_ACCOUNT;
    return {
      accountId: this.ids.accountNumber(),
      customerId: customer.profile.customerId,
      institutionId: customer.profile.homeInstitutionId,
      kind: AccountKind.Current,
      productCode: product.code,
      productName: product.name,
      openedOn,
      balance: new Decimal(balance),
      status: AccountStatus.Active,
    };
  }

  savingsAccount(customer: Customer, balance: string): DepositAccount {
    return {
      ...this.currentAccount(customer, balance),
      kind: AccountKind.Savings,
      productCode: SAVINGS_ACCOUNT.code,
      productName: SAVINGS_ACCOUNT.name,
    };
  }

  /** A time deposit or wealth product still running on `asOf`, maturing `daysToMaturity` later. */
  maturingProduct(
    customer: Customer,
    product: DepositProduct,
    principal: string,
    daysToMaturity: number,
    managerId?: string,
  ): DepositAccount {
    const { kind, termMonths, rate } = product;
    if (termMonths === undefined || rate === undefined)
      throw new RangeError(`${product.code} does not mature: it has no term and rate`);
    const maturityDate = addDays(this.options.asOf, daysToMaturity);
    const account: DepositAccount = {
      accountId: kind === AccountKind.TimeDeposit ? this.ids.timeDepositId() : this.ids.wealthProductId(),
      customerId: customer.profile.customerId,
      institutionId: customer.profile.homeInstitutionId,
      kind,
      productCode: product.code,
      productName: product.name,
      openedOn: addMonths(maturityDate, -termMonths),
      maturityDate,
      termMonths,
      rate,
      balance: new Decimal(principal),
      status: AccountStatus.Active,
    };
    if (managerId) account.managerId = managerId;
    return account;
  }

  /** A new loan of a product: the principal drawn from its spread, the term from those it offers. */
  loanTerms(product: LoanProduct, disbursedOn: string): LoanTerms {
    return {
      principal: this.prng.amount(product.principal),
      rate: product.rate,
      // A product with one term costs no draw.
      months: product.terms.length === 1 ? product.terms[0] : this.prng.pick(product.terms),
      method: product.method,
      productCode: product.code,
      productName: product.name,
      disbursedOn,
    };
  }

  loan(customer: Customer, settlement: DepositAccount, terms: LoanTerms): Loan {
    const firstDueDate = terms.firstDueDate ?? addMonths(terms.disbursedOn, 1);
    const schedule = buildSchedule({
      principal: terms.principal,
      annualRate: terms.rate,
      disbursedOn: terms.disbursedOn,
      firstDueDate,
      instalments: terms.months,
      method: terms.method,
    });
    return {
      loanId: this.ids.loanId(),
      customerId: customer.profile.customerId,
      institutionId: customer.profile.homeInstitutionId,
      managerId: customer.managerId,
      principal: terms.principal,
      productCode: terms.productCode,
      productName: terms.productName,
      disbursedOn: terms.disbursedOn,
      maturityDate: schedule[schedule.length - 1].dueDate,
      interestRate: terms.rate,
      repaymentMethod: terms.method,
      settlementAccountId: settlement.accountId,
      schedule,
      classification: LoanClassification.Normal,
      outstandingPrincipal: new Decimal(terms.principal),
      nextSequence: 1,
      overdue: [],
      troubled: false,
      settled: false,
    };
  }

  card(
    customer: Customer,
    settlement: DepositAccount,
    terms: { creditLimit: string; statementDay: number; payer: CardPayer },
  ): Card {
    const cardProduct = new Decimal(terms.creditLimit).gte(GOLD_CARD_MIN_LIMIT) ? GOLD_CARD : STANDARD_CARD;
    return {
      cardId: this.ids.cardId(),
      customerId: customer.profile.customerId,
      institutionId: customer.profile.homeInstitutionId,
      managerId: customer.managerId,
      productCode: cardProduct.code,
      productName: cardProduct.name,
      maskedCardNumber: this.ids.maskedCardNumber(),
      issuedOn: this.dateSince(customer.registeredOn),
      creditLimit: terms.creditLimit,
      statementDay: terms.statementDay,
      paymentDueDays: 20,
      owed: new Decimal(0),
      unbilled: new Decimal(0),
      payer: terms.payer,
      settlementAccountId: settlement.accountId,
    };
  }

  /** Banks lend against income: a borrower earns at least two and a half instalments a month. */
  private ensureIncomeCovers(customer: Customer, loan: Loan): void {
    const first = loan.schedule[0];
    const needed = toFen(new Decimal(first.principal).plus(first.interest).times('2.5'));
    if (customer.income && needed.lte(customer.income.amount)) return;
    customer.income = {
      kind: customer.income?.kind ?? 'salary',
      amount: needed.toFixed(2),
      dayOfMonth: customer.income?.dayOfMonth ?? this.prng.pick([5, 10, 15, 20, 25]),
      payer: customer.income?.payer ?? this.prng.pick(EMPLOYERS),
      payerBank: customer.income?.payerBank ?? { sameBank: true },
    };
  }

  private products(bank: Bank, customer: Customer, outlet: Institution): void {
    const p = this.prng;
    const corporate = customer.profile.kind === CustomerKind.Corporate;
    const current = this.currentAccount(
      customer,
      corporate
        ? p.amount({ median: '450000', sigma: 1.0, min: '5000.00', max: '30000000.00' })
        : p.amount({ median: '18000', sigma: 1.3, min: '0.00', max: '3000000.00' }),
    );
    bank.accounts.push(current);
    if (!corporate && p.chance(0.35)) {
      bank.accounts.push(
        this.savingsAccount(
          customer,
          p.amount({ median: '30000', sigma: 1.1, min: '100.00', max: '2000000.00' }),
        ),
      );
    }
    const deposits = p.chance(corporate ? 0.2 : 0.25) ? (p.chance(0.3) ? 2 : 1) : 0;
    for (let i = 0; i < deposits; i++) {
      const product = p.pick(TIME_DEPOSITS);
      const principal = p.amount({
        median: corporate ? '500000' : '80000',
        sigma: 0.9,
        min: '10000.00',
        max: '5000000.00',
        step: '1000',
      });
      bank.accounts.push(
        this.maturingProduct(
          customer,
          product,
          principal,
          p.int(1, product.termMonths! * 30),
          customer.managerId,
        ),
      );
    }
    if (!corporate && p.chance(0.1)) {
      const product = p.pick(WEALTH_PRODUCTS);
      const principal = p.amount({
        median: '200000',
        sigma: 0.9,
        min: '50000.00',
        max: '8000000.00',
        step: '10000',
      });
      const banker = new Decimal(principal).gte(1_000_000)
        ? p.pick(privateBankersFor(this.organisation, outlet)).managerId
        : customer.managerId;
      bank.accounts.push(
        this.maturingProduct(customer, product, principal, p.int(1, product.termMonths! * 30), banker),
      );
    }
    if (p.chance(corporate ? 0.5 : 0.12)) {
      const disbursedOn = addDays(this.options.asOf, -p.int(0, 25));
      // Each individual product's terms are drawn before one is picked: the order a seed's bank was
      // first generated in, so every seed keeps its bank.
      const terms = corporate
        ? this.loanTerms(WORKING_CAPITAL_LOAN, disbursedOn)
        : p.weighted([
            [this.loanTerms(CONSUMER_LOAN, disbursedOn), 5],
            [this.loanTerms(BUSINESS_LOAN, disbursedOn), 3],
            [this.loanTerms(MORTGAGE, disbursedOn), 2],
          ] as const);
      const loan = this.loan(customer, current, terms);
      loan.troubled = p.chance(0.06);
      bank.loans.push(loan);
      if (!corporate) this.ensureIncomeCovers(customer, loan);
    }
    const age = customer.profile.birthDate ? ageOn(customer.profile.birthDate, this.options.asOf) : 0;
    if (!corporate && age >= 20 && age <= 65 && p.chance(0.3)) {
      bank.cards.push(
        this.card(customer, current, {
          creditLimit: p.weighted([
            ['10000.00', 3],
            ['20000.00', 3],
            ['30000.00', 2],
            ['50000.00', 2],
            ['100000.00', 1],
          ] as const),
          statementDay: p.int(1, 28),
          payer: p.weighted([
            ['full', 70],
            ['minimum', 20],
            ['late', 10],
          ] as const),
        }),
      );
    }
  }
}

/** The whole bank of a seed on a day. */
export const generatePopulation = (options: PopulationOptions): Bank =>
  new PopulationGenerator(buildOrganisation(options.seed), options).generate();
