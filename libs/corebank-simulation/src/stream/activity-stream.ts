import Decimal from 'decimal.js';
import {
  AccountClosureReason,
  AccountKind,
  AccountStatus,
  BankTransactionCodes,
  CardChannel,
  CustomerKind,
  LoanClassification,
  LoanSettlementKind,
  isClassificationDowngrade,
  type TransactionPostedPayload,
} from '@crm/contracts';
import type { BankOperations } from '../core/bank-operations';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  addDays,
  addMonths,
  cstAt,
  cstDateOf,
  cstMidnight,
  dayOfMonth,
  daysBetween,
} from '../core/calendar';
import type { SimEvent } from '../core/event-factory';
import { toFen } from '../core/money';
import type { Prng } from '../core/prng';
import { Timeline, type Happening } from '../core/timeline';
import type { Bank, Card, Customer, DepositAccount, Loan, PlannedInstalment } from '../population/bank.model';
import { mobileNumber, personName } from '../population/people.util';
import {
  BILLERS,
  COMPANY_TRADES,
  COMPANY_WORDS,
  MERCHANT_CATEGORIES,
  OTHER_BANKS,
} from '../population/zhejiang.data';

/** Overdue days at which core banking re-reports an overdue instalment or statement. */
const OVERDUE_MILESTONES = [1, 30, 60, 90, 120, 150, 180];
/** Overdue days from which a loan is at least this class (CBIRC risk classification guidance). */
const CLASSIFICATION_BY_OVERDUE_DAYS: readonly (readonly [number, LoanClassification])[] = [
  [1, LoanClassification.SpecialMention],
  [91, LoanClassification.Substandard],
  [181, LoanClassification.Doubtful],
  [361, LoanClassification.Loss],
];
/** Penalty interest on overdue amounts, per day (a 50 % surcharge on a ~3.6 % rate is about 0.015 %). */
const PENALTY_PER_DAY = '0.00015';

const maskedAccount = (prng: Prng) => `6${prng.digits(3)}****${prng.digits(4)}`;

/**
 * The bank's day-to-day life after the initial load: salaries, spending, transfers, bills, loan
 * instalments, card statements and payments, maturities, and the occasional trouble. Generated day by
 * day in simulated time, lazily and without end; the caller takes as many events as it wants.
 */
export class ActivityStream {
  private readonly timeline = new Timeline();
  private readonly currentOf = new Map<string, DepositAccount>();
  private readonly accountById = new Map<string, DepositAccount>();
  private readonly accountsOf = new Map<string, DepositAccount[]>();
  private readonly cardOf = new Map<string, Card>();
  private readonly frozenUntil = new Map<DepositAccount, string>();
  private readonly individuals: Customer[];

  constructor(
    private readonly bank: Bank,
    private readonly ops: BankOperations,
    private readonly prng: Prng,
    private readonly start: number,
  ) {
    for (const account of bank.accounts) {
      this.accountById.set(account.accountId, account);
      this.accountsOf.set(account.customerId, [...(this.accountsOf.get(account.customerId) ?? []), account]);
      if (account.kind === AccountKind.Current && !this.currentOf.has(account.customerId)) {
        this.currentOf.set(account.customerId, account);
      }
    }
    for (const card of bank.cards) this.cardOf.set(card.customerId, card);
    this.individuals = bank.customers.filter((c) => c.profile.kind === CustomerKind.Individual);
  }

  /** Every event from `start` on, in time order. */
  *events(): Generator<SimEvent> {
    let clock = this.start;
    for (;;) {
      const day = cstDateOf(clock);
      const dayEnd = cstMidnight(day) + MS_PER_DAY;
      this.planDay(day, clock);
      yield* this.timeline.runUntil(dayEnd);
      clock = dayEnd;
    }
  }

  /** Adds the day's happenings; one planned before `notBefore` (the first, partial day) moves to it. */
  private planDay(day: string, notBefore: number): void {
    const at = (hours: number, spreadMinutes = 0) =>
      Math.max(
        notBefore,
        cstAt(day, hours) + (spreadMinutes > 0 ? this.prng.int(0, spreadMinutes * MS_PER_MINUTE) : 0),
      );
    const add = (when: number, happen: Happening) => this.timeline.add(when, happen);

    this.planMaturities(day, at, add);
    this.planLoans(day, at, add);
    this.planCards(day, at, add);
    for (const customer of this.bank.customers) {
      const current = this.currentOf.get(customer.profile.customerId);
      if (!current) continue;
      this.planIncome(customer, current, day, at, add);
      if (customer.profile.kind === CustomerKind.Corporate)
        this.planCorporateDay(customer, current, day, at, add);
      else this.planIndividualDay(customer, current, at, add);
      this.planRareChanges(customer, current, day, at, add);
    }
  }

  private planIncome(
    customer: Customer,
    current: DepositAccount,
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    const income = customer.income;
    if (income && income.dayOfMonth === dayOfMonth(day)) {
      add(at(8, 120), (when) =>
        this.ops.credit(current, income.amount, when, {
          code: BankTransactionCodes.SalaryReceived,
          channel: 'batch',
          counterparty: { agent: { ...income.payerBank }, name: income.payer },
          remittanceInfo: income.kind === 'salary' ? '代发工资' : '养老金',
        }),
      );
    }
    const payroll = customer.payroll;
    if (payroll && payroll.dayOfMonth === dayOfMonth(day)) {
      add(at(8, 60), (when) =>
        this.ops.debit(
          current,
          Decimal.min(payroll.amount, current.balance.times('0.8').toDecimalPlaces(2)),
          when,
          {
            code: BankTransactionCodes.PayrollSent,
            channel: 'batch',
            remittanceInfo: '代发工资',
          },
        ),
      );
    }
  }

  private planIndividualDay(
    customer: Customer,
    current: DepositAccount,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    const p = this.prng;
    const busy = (probability: number) => p.chance(probability * customer.activity);
    const daytime = () => at(7, 16 * 60);

    if (busy(0.22)) {
      const category = p.weighted(MERCHANT_CATEGORIES.map((c) => [c, c.weight] as const));
      const amount = p.amount({ median: category.median, sigma: 0.6, min: '1.00', max: '30000.00' });
      const merchant = p.pick(category.merchants);
      const channel = p.weighted([
        ['pos', 6],
        ['mobile', 3],
        ['online', 1],
      ] as const);
      add(daytime(), (when) =>
        this.ops.debit(current, amount, when, {
          code: BankTransactionCodes.CardPurchase,
          channel,
          remittanceInfo: merchant,
        }),
      );
    }
    const card = this.cardOf.get(customer.profile.customerId);
    if (card && busy(0.3)) {
      const category = p.weighted(MERCHANT_CATEGORIES.map((c) => [c, c.weight] as const));
      const amount = p.amount({ median: category.median, sigma: 0.7, min: '1.00', max: '60000.00' });
      const merchant = {
        mcc: category.mcc,
        name: p.pick(category.merchants),
        channel: p.pick(Object.values(CardChannel).slice(0, 3)),
      };
      add(daytime(), (when) => this.ops.cardSpend(card, amount, when, merchant));
    }
    if (busy(0.03)) {
      const amount = p.amount({ median: '2000', sigma: 1.0, min: '100.00', max: '200000.00', step: '100' });
      const bank = p.pick(OTHER_BANKS);
      const counterparty = {
        agent: { sameBank: false, ...bank },
        name: personName(p),
        accountReference: maskedAccount(p),
      };
      const bounces = p.chance(0.01);
      const delay = p.int(1, 3) * MS_PER_HOUR;
      add(daytime(), (when) => {
        const posted = this.ops.debit(current, amount, when, {
          code: BankTransactionCodes.TransferSent,
          channel: p.pick(['mobile', 'online', 'counter'] as const),
          counterparty,
        });
        if (posted && bounces) {
          this.timeline.add(when + delay, (later) =>
            this.ops.reverse(current, posted.data as TransactionPostedPayload, later, '收款行退回：户名不符'),
          );
        }
        return posted;
      });
    }
    if (busy(0.03) && this.individuals.length > 1) {
      const payee = p.pick(this.individuals);
      const payeeAccount = this.currentOf.get(payee.profile.customerId);
      const amount = p.amount({ median: '1000', sigma: 1.0, min: '10.00', max: '100000.00', step: '10' });
      if (payeeAccount && payee !== customer) {
        add(daytime(), (when) => {
          const sent = this.ops.debit(current, amount, when, {
            code: BankTransactionCodes.TransferSent,
            channel: 'mobile',
            counterparty: {
              agent: { sameBank: true },
              name: payee.profile.name,
              accountReference: payeeAccount.accountId,
            },
          });
          if (!sent) return undefined;
          const received = this.ops.credit(payeeAccount, amount, when, {
            code: BankTransactionCodes.TransferReceived,
            channel: 'mobile',
            counterparty: {
              agent: { sameBank: true },
              name: customer.profile.name,
              accountReference: current.accountId,
            },
          });
          return received ? [sent, received] : [sent];
        });
      }
    }
    if (busy(0.02)) {
      const amount = p.amount({ median: '1500', sigma: 1.0, min: '50.00', max: '200000.00', step: '10' });
      const counterparty = {
        agent: { sameBank: false, ...p.pick(OTHER_BANKS) },
        name: personName(p),
        accountReference: maskedAccount(p),
      };
      add(daytime(), (when) =>
        this.ops.credit(current, amount, when, {
          code: BankTransactionCodes.TransferReceived,
          channel: 'online',
          counterparty,
        }),
      );
    }
    if (busy(0.03)) {
      const biller = p.pick(BILLERS);
      const amount = p.amount({ median: biller.median, sigma: 0.4, min: '5.00', max: '3000.00' });
      const counterparty = { agent: { sameBank: false, ...OTHER_BANKS[p.int(0, 3)] }, name: biller.name };
      add(at(2, 60), (when) =>
        this.ops.debit(current, amount, when, {
          code: BankTransactionCodes.DirectDebit,
          channel: 'batch',
          counterparty,
        }),
      );
    }
    if (busy(0.02)) {
      const amount = p.amount({ median: '800', sigma: 0.7, min: '100.00', max: '20000.00', step: '100' });
      add(daytime(), (when) =>
        this.ops.debit(current, amount, when, { code: BankTransactionCodes.CashWithdrawal, channel: 'atm' }),
      );
    }
    if (busy(0.01)) {
      const amount = p.amount({ median: '3000', sigma: 1.0, min: '100.00', max: '100000.00', step: '100' });
      add(at(9, 7 * 60), (when) =>
        this.ops.credit(current, amount, when, {
          code: BankTransactionCodes.CashDeposit,
          channel: 'counter',
        }),
      );
    }
    const savings = this.accountsOf
      .get(customer.profile.customerId)
      ?.find((a) => a.kind === AccountKind.Savings);
    if (savings && busy(0.01)) {
      const amount = p.amount({ median: '5000', sigma: 0.8, min: '100.00', max: '100000.00', step: '100' });
      add(daytime(), (when) => this.bookTransfer(current, savings, amount, when));
    }
  }

  private planCorporateDay(
    customer: Customer,
    current: DepositAccount,
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    const p = this.prng;
    const office = () => at(8.5, 9 * 60);
    const partner = () =>
      `${p.pick(['杭州', '宁波', '温州', '金华', '上海', '苏州'])}${p.pick(COMPANY_WORDS)}${p.pick(COMPANY_TRADES)[1]}有限公司`;
    const receipts = p.chance(0.6 * customer.activity) ? p.int(1, 3) : 0;
    for (let i = 0; i < receipts; i++) {
      const amount = p.amount({ median: '40000', sigma: 1.2, min: '500.00', max: '3000000.00' });
      const agent = p.chance(0.7) ? { sameBank: false, ...p.pick(OTHER_BANKS) } : { sameBank: true };
      const counterparty = { agent, name: partner(), accountReference: maskedAccount(p) };
      add(office(), (when) =>
        this.ops.credit(current, amount, when, {
          code: BankTransactionCodes.TransferReceived,
          channel: 'online',
          counterparty,
        }),
      );
    }
    if (p.chance(0.5 * customer.activity)) {
      const amount = p.amount({ median: '30000', sigma: 1.2, min: '500.00', max: '2000000.00' });
      const agent = p.chance(0.7) ? { sameBank: false, ...p.pick(OTHER_BANKS) } : { sameBank: true };
      const counterparty = { agent, name: partner(), accountReference: maskedAccount(p) };
      add(office(), (when) =>
        this.ops.debit(current, amount, when, {
          code: BankTransactionCodes.TransferSent,
          channel: 'online',
          counterparty,
          remittanceInfo: '货款',
        }),
      );
    }
    if (dayOfMonth(day) === 20 && p.chance(0.8)) {
      const amount = p.amount({ median: '6000', sigma: 0.8, min: '200.00', max: '200000.00' });
      const counterparty = {
        agent: { sameBank: false, ...OTHER_BANKS[2] },
        name: '国家税务总局浙江省税务局',
      };
      add(office(), (when) =>
        this.ops.debit(current, amount, when, {
          code: BankTransactionCodes.DirectDebit,
          channel: 'batch',
          counterparty,
          remittanceInfo: '税款',
        }),
      );
    }
  }

  private bookTransfer(
    from: DepositAccount,
    to: DepositAccount,
    amount: Decimal.Value,
    when: number,
  ): SimEvent[] | undefined {
    const out = this.ops.debit(from, amount, when, {
      code: BankTransactionCodes.BookTransferOut,
      channel: 'mobile',
      counterparty: { agent: { sameBank: true }, accountReference: to.accountId },
    });
    if (!out) return undefined;
    const into = this.ops.credit(to, amount, when, {
      code: BankTransactionCodes.BookTransferIn,
      channel: 'mobile',
      counterparty: { agent: { sameBank: true }, accountReference: from.accountId },
    });
    return into ? [out, into] : [out];
  }

  private planRareChanges(
    customer: Customer,
    current: DepositAccount,
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    const p = this.prng;
    if (p.chance(0.0005)) {
      const movesHouse = customer.profile.kind === CustomerKind.Individual && p.chance(0.3);
      const phone = mobileNumber(p);
      const region =
        customer.profile.homeInstitutionId &&
        this.bank.institutions.find((i) => i.institutionId === customer.profile.homeInstitutionId)
          ?.regionCode;
      add(at(9, 8 * 60), (when) => {
        if (movesHouse && region && region !== customer.profile.regionCode) {
          customer.profile.regionCode = region;
          return this.ops.customerUpdated(customer, ['regionCode'], when);
        }
        customer.profile.phone = phone;
        return this.ops.customerUpdated(customer, ['phone'], when);
      });
    }
    const frozenUntil = this.frozenUntil.get(current);
    if (frozenUntil === day) {
      this.frozenUntil.delete(current);
      add(at(10, 6 * 60), (when) => this.ops.changeStatus(current, AccountStatus.Active, when, '解除冻结'));
    } else if (!frozenUntil && current.status === AccountStatus.Active && p.chance(0.00005)) {
      this.frozenUntil.set(current, addDays(day, p.int(3, 20)));
      add(at(10, 6 * 60), (when) => this.ops.changeStatus(current, AccountStatus.Frozen, when, '司法冻结'));
    }
    const savings = this.accountsOf
      .get(customer.profile.customerId)
      ?.find((a) => a.kind === AccountKind.Savings && a.status === AccountStatus.Active);
    if (savings && p.chance(0.0003)) {
      add(at(9, 7 * 60), (when) => {
        const moved = savings.balance.gt(0)
          ? (this.bookTransfer(savings, current, savings.balance, when) ?? [])
          : [];
        return [...moved, this.ops.closeAccount(savings, when, AccountClosureReason.CustomerRequest)];
      });
    }
  }

  private planMaturities(
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    for (const account of this.bank.accounts) {
      if (account.maturityDate !== day || account.status !== AccountStatus.Active) continue;
      const current = this.currentOf.get(account.customerId);
      const renews = account.kind === AccountKind.TimeDeposit && this.prng.chance(0.4);
      add(at(7, 60), (when) => {
        const interest = toFen(
          account.balance
            .times(account.rate ?? '0')
            .times(account.termMonths ?? 12)
            .dividedBy(12),
        );
        const events: SimEvent[] = [];
        const credited = this.ops.credit(account, interest, when, {
          code: BankTransactionCodes.InterestCredited,
          channel: 'batch',
        });
        if (credited) events.push(credited);
        if (renews || !current) {
          events.push(
            this.ops.changeMaturity(account, addMonths(day, account.termMonths ?? 12), when, '到期自动转存'),
          );
          return events;
        }
        const payout = account.balance;
        events.push(this.ops.closeAccount(account, when, AccountClosureReason.Matured));
        const paid = this.ops.credit(current, payout, when, {
          code: BankTransactionCodes.DepositMaturity,
          channel: 'batch',
          counterparty: { agent: { sameBank: true }, accountReference: account.accountId },
          remittanceInfo: account.kind === AccountKind.TimeDeposit ? '定期到期本息' : '理财到期兑付',
        });
        if (paid) events.push(paid);
        return events;
      });
    }
  }

  private planLoans(
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    for (const loan of this.bank.loans) {
      if (loan.settled) continue;
      const settlement = this.accountById.get(loan.settlementAccountId);
      if (!settlement) continue;
      const due = loan.schedule.find((i) => i.sequence === loan.nextSequence && i.dueDate === day);
      if (due) {
        add(at(6), (when) => {
          loan.nextSequence += 1;
          const paid = loan.troubled ? undefined : this.ops.collectInstalment(loan, due, settlement, when);
          if (!paid) {
            loan.overdue.push({ instalment: due, reported: new Set() });
            return undefined;
          }
          return this.settleIfDone(loan, paid, due, when);
        });
      }
      for (const overdue of loan.overdue) {
        const days = daysBetween(overdue.instalment.dueDate, day);
        if (days < 1) continue;
        if (OVERDUE_MILESTONES.includes(days) && !overdue.reported.has(days)) {
          add(at(1, 30), (when) => {
            const events = days === 1 ? [this.ops.interestUnpaid(loan, overdue, when)] : [];
            events.push(this.ops.overdueNotice(loan, overdue, days, when));
            const floor = CLASSIFICATION_BY_OVERDUE_DAYS.filter(([from]) => days >= from).pop()?.[1];
            if (floor && isClassificationDowngrade(loan.classification, floor)) {
              events.push(
                this.ops.reclassify(loan, floor, when, `第${overdue.instalment.sequence}期逾期${days}天`),
              );
            }
            return events;
          });
        }
        if (!loan.troubled) {
          add(at(10, 8 * 60), (when) => {
            if (!loan.overdue.includes(overdue)) return undefined;
            const owed = new Decimal(overdue.instalment.principal).plus(overdue.instalment.interest);
            const penalty = toFen(owed.times(PENALTY_PER_DAY).times(days));
            const paid = this.ops.collectInstalment(loan, overdue.instalment, settlement, when, penalty);
            if (!paid) return undefined;
            loan.overdue = loan.overdue.filter((o) => o !== overdue);
            return this.settleIfDone(loan, paid, overdue.instalment, when);
          });
        }
      }
      if (!loan.troubled && loan.overdue.length === 0 && this.prng.chance(0.0006)) {
        const inFull = this.prng.chance(0.4);
        const amount = loan.outstandingPrincipal.times('0.3').dividedBy(100).floor().times(100);
        add(at(11, 6 * 60), (when) =>
          inFull
            ? this.ops.prepayInFull(loan, settlement, when)
            : this.ops.prepay(loan, amount, settlement, when),
        );
      }
    }
  }

  private settleIfDone(loan: Loan, paid: SimEvent[], last: PlannedInstalment, when: number): SimEvent[] {
    if (loan.outstandingPrincipal.gt(0) || loan.overdue.length > 0) return paid;
    const finalAmount = new Decimal(last.principal).plus(last.interest);
    return [...paid, this.ops.settle(loan, LoanSettlementKind.Matured, finalAmount, when)];
  }

  private planCards(
    day: string,
    at: (h: number, spread?: number) => number,
    add: (when: number, happen: Happening) => void,
  ): void {
    for (const card of this.bank.cards) {
      const current = this.currentOf.get(card.customerId);
      if (!current) continue;
      const statement = card.statement;
      if (statement?.plannedPaymentDate === day) {
        add(at(19, 180), (when) => {
          const target = card.payer === 'minimum' ? statement.minimum : statement.balance;
          const amount = Decimal.min(target.minus(statement.paid), card.owed);
          return amount.gt(0) ? this.ops.payCard(card, amount, current, when) : undefined;
        });
      }
      if (statement && day > statement.dueDate && statement.paid.lt(statement.minimum)) {
        const days = daysBetween(statement.dueDate, day);
        if (OVERDUE_MILESTONES.includes(days) && !statement.overdueReported.has(days)) {
          add(at(3, 30), (when) => this.ops.cardOverdue(card, days, when));
        }
      }
      if (dayOfMonth(day) === card.statementDay) {
        add(at(0, 60), (when) => {
          const issued = this.ops.cutStatement(card, day, when);
          const cut = card.statement;
          if (issued && cut) {
            const late = card.payer === 'late' && this.prng.chance(0.5);
            cut.plannedPaymentDate = late
              ? addDays(cut.dueDate, this.prng.int(2, 10))
              : addDays(cut.dueDate, -this.prng.int(0, card.payer === 'minimum' ? 3 : 6));
          }
          return issued;
        });
      }
    }
  }
}
