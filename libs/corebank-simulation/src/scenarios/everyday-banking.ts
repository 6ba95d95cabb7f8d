import { BankTransactionCodes, type TransactionChannel } from '@crm/contracts';
import { dayOfMonth } from '../core/calendar';
import type { DepositAccount } from '../population/bank.model';
import { BILLERS, EMPLOYERS, MERCHANT_CATEGORIES } from '../population/zhejiang.data';
import type { CustomerBook } from './customer-book';
import type { Story } from './story';

/** Something a customer does at a wall-clock time of a story day. */
export interface Planned {
  hours: number;
  minutes: number;
  act(at: number): void;
}

/**
 * Tells days `from`..`to` after the start day, several customers at once: each day's plans sorted by time
 * (plans at the same minute keep their order, a tick apart), then every book notes the end of the day.
 */
export function tellDays(
  story: Story,
  books: readonly CustomerBook[],
  from: number,
  to: number,
  planDay: (day: number) => Planned[],
): void {
  for (let day = from; day <= to; day++) {
    const plans = planDay(day).sort((a, b) => a.hours * 60 + a.minutes - (b.hours * 60 + b.minutes));
    plans.forEach((plan, i) => {
      const sameMinute = i > 0 && plans[i - 1].hours === plan.hours && plans[i - 1].minutes === plan.minutes;
      plan.act(sameMinute ? story.tick() : story.onDay(day, plan.hours, plan.minutes));
    });
    for (const book of books) book.closeDay(story.dayAfterStart(day));
  }
}

/** How a salaried household uses its current account, month in, month out. */
export interface Household {
  book: CustomerBook;
  current: DepositAccount;
  /** Monthly net salary, paid by an employer banking here (代发工资). */
  salary: string;
  salaryDay: number;
  /** The channel it pays in shops with. */
  shopsBy: TransactionChannel;
  /** The channel it sends the monthly allowance by. */
  transfersBy: TransactionChannel;
}

/** Five shopping days a week, counted from the start day. */
const SHOPPING_DAYS = [0, 1, 2, 4, 5];
const SMALL_TICKETS = MERCHANT_CATEGORIES.filter((c) => Number(c.median) <= 1000);

/**
 * A steady month of some 28 entries: salary on its day, three utility bills on the 15th, an allowance to a
 * relative on the 20th, an ATM withdrawal every other week and a purchase five days a week. It spends at most
 * 17400.00 in 31 days (23 purchases of up to 500.00, three bills of up to 300.00, the 2000.00 allowance, three
 * withdrawals of up to 1000.00), which a story's salary and opening balance must cover. Every
 * counterparty banks here: none of these entries names another bank, so a story's transfers to other banks
 * are its own.
 */
export function everydayBanking(story: Story, household: Household, day: number): Planned[] {
  const { book, current } = household;
  const p = story.prng;
  const here = { sameBank: true };
  const plans: Planned[] = [];
  const date = story.dayAfterStart(day);
  if (dayOfMonth(date) === household.salaryDay) {
    const employer = EMPLOYERS[household.salaryDay % EMPLOYERS.length];
    plans.push({
      hours: 8,
      minutes: 5,
      act: (at) =>
        book.credit(current, household.salary, at, {
          code: BankTransactionCodes.SalaryReceived,
          channel: 'batch',
          counterparty: { agent: here, name: employer },
          remittanceInfo: '代发工资',
        }),
    });
  }
  if (dayOfMonth(date) === 15) {
    BILLERS.slice(0, 3).forEach((biller, i) => {
      const amount = p.amount({ median: biller.median, sigma: 0.3, min: '5.00', max: '300.00' });
      plans.push({
        hours: 2,
        minutes: 10 + i * 10,
        act: (at) =>
          book.debit(current, amount, at, {
            code: BankTransactionCodes.DirectDebit,
            channel: 'batch',
            counterparty: { agent: here, name: biller.name },
          }),
      });
    });
  }
  if (dayOfMonth(date) === 20) {
    plans.push({
      hours: 11,
      minutes: p.int(0, 59),
      act: (at) =>
        book.debit(current, '2000.00', at, {
          code: BankTransactionCodes.TransferSent,
          channel: household.transfersBy,
          counterparty: { agent: here, name: '家人', accountReference: `6231****${p.digits(4)}` },
          remittanceInfo: '生活费',
        }),
    });
  }
  if (day % 14 === 3) {
    const amount = p.amount({ median: '800', sigma: 0.3, min: '300.00', max: '1000.00', step: '100' });
    plans.push({
      hours: 10,
      minutes: p.int(0, 59),
      act: (at) =>
        book.debit(current, amount, at, { code: BankTransactionCodes.CashWithdrawal, channel: 'atm' }),
    });
  }
  if (SHOPPING_DAYS.includes(day % 7)) {
    const category = p.weighted(SMALL_TICKETS.map((c) => [c, c.weight] as const));
    const amount = p.amount({ median: category.median, sigma: 0.5, min: '5.00', max: '500.00' });
    const merchant = p.pick(category.merchants);
    plans.push({
      hours: p.int(12, 20),
      minutes: p.int(0, 59),
      act: (at) =>
        book.debit(current, amount, at, {
          code: BankTransactionCodes.CardPurchase,
          channel: household.shopsBy,
          remittanceInfo: merchant,
        }),
    });
  }
  return plans;
}
