import { addDays, daysBetween, type BusinessCalendar } from '@crm/calendar';
import {
  AccountClosedPayload,
  AccountOpenedPayload,
  LoanDisbursedPayload,
  LoanRepaymentReceivedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { Money, formatAmount } from '@crm/persistence';

/**
 * End-of-day balances (日终余额) and the daily averages (日均) that come from them.
 *
 * 1. Facts state a holding's balance at an instant: a deposit entry or its reversal (the balance after it),
 *    an account opening (the balance at event time), a loan disbursal (the principal) or repayment (the
 *    principal outstanding), and a closing or settlement (zero).
 * 2. A business date's end-of-day balance is the one stated by its latest fact (`asOf`; at the same instant
 *    the greater fact id), whatever order the facts arrive in. A disbursal is the first fact of its day, a
 *    closing or settlement the last.
 * 3. A day on which nothing stated a balance carries the balance of the latest earlier day forward; a holding
 *    counts zero before its first stated balance (the warehouse invents no history) and after it closes.
 * 4. A daily average over a period is the sum of every calendar day's balance, carried-forward days
 *    included, divided by the number of days in the period, rounded half-up to the fen.
 *
 * The warehouse stores (2) in `daily_balance`, one row per holding and date that some fact stated; (3) and
 * (4) are how every figure reads those rows.
 */

/** The holdings whose balance has a daily history (`daily_balance.holding_type`). */
export const HoldingType = { Account: 'account', Loan: 'loan' } as const;
export type HoldingType = (typeof HoldingType)[keyof typeof HoldingType];

export interface BalanceObservation {
  holdingType: HoldingType;
  holdingId: string;
  customerId: string;
  /** `YYYY-MM-DD` in the bank's calendar. */
  businessDate: string;
  /** Decimal string. */
  balance: string;
  currency: string;
  /** RFC 3339: orders the facts of one day. */
  asOf: string;
  /** Breaks a tie between facts of one instant, so that every replay picks the same one. */
  factId: string;
}

const instant = (ms: number): string => new Date(ms).toISOString();

export function entryObservation(
  entry: TransactionPostedPayload | TransactionReversedPayload,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Account,
    holdingId: entry.accountId,
    customerId: entry.customerId,
    businessDate: calendar.dateOf(entry.bookingDate),
    balance: entry.balanceAfter.amount,
    currency: entry.balanceAfter.currency,
    asOf: entry.bookingDate,
    factId: entry.transactionId,
  };
}

/** An opening states the balance at the event's time (a replayed opening: today's balance, not history). */
export function openingObservation(
  opened: AccountOpenedPayload,
  eventTime: string,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Account,
    holdingId: opened.accountId,
    customerId: opened.customerId,
    businessDate: calendar.dateOf(eventTime),
    balance: opened.balance.amount,
    currency: opened.balance.currency,
    asOf: eventTime,
    factId: `opened:${opened.accountId}`,
  };
}

export function closingObservation(
  closed: AccountClosedPayload,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Account,
    holdingId: closed.accountId,
    customerId: closed.customerId,
    businessDate: closed.closedOn,
    balance: '0.00',
    currency: closed.closingBalance.currency,
    asOf: instant(calendar.startOf(addDays(closed.closedOn, 1))),
    factId: `closed:${closed.accountId}`,
  };
}

export function disbursalObservation(
  loan: LoanDisbursedPayload,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Loan,
    holdingId: loan.loanId,
    customerId: loan.customerId,
    businessDate: loan.disbursedOn,
    balance: loan.principal.amount,
    currency: loan.principal.currency,
    asOf: instant(calendar.startOf(loan.disbursedOn)),
    factId: `disbursed:${loan.loanId}`,
  };
}

export function repaymentObservation(
  repayment: LoanRepaymentReceivedPayload,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Loan,
    holdingId: repayment.loanId,
    customerId: repayment.customerId,
    businessDate: calendar.dateOf(repayment.receivedAt),
    balance: repayment.outstandingPrincipal.amount,
    currency: repayment.outstandingPrincipal.currency,
    asOf: repayment.receivedAt,
    factId: repayment.repaymentId,
  };
}

export function settlementObservation(
  settled: LoanSettledPayload,
  calendar: BusinessCalendar,
): BalanceObservation {
  return {
    holdingType: HoldingType.Loan,
    holdingId: settled.loanId,
    customerId: settled.customerId,
    businessDate: settled.settledOn,
    balance: '0.00',
    currency: settled.finalAmount.currency,
    asOf: instant(calendar.startOf(addDays(settled.settledOn, 1))),
    factId: `settled:${settled.loanId}`,
  };
}

/** Whether `incoming` states the day's balance instead of `current`: a later fact or, at the same instant, a greater id. */
export function supersedes(incoming: BalanceObservation, current: BalanceObservation): boolean {
  const [a, b] = [Date.parse(incoming.asOf), Date.parse(current.asOf)];
  return a !== b ? a > b : incoming.factId > current.factId;
}

/** Each business date's end-of-day balance, from one holding's observations in any order. */
export function endOfDayBalances(observations: readonly BalanceObservation[]): Map<string, string> {
  const latest = new Map<string, BalanceObservation>();
  for (const o of observations) {
    const current = latest.get(o.businessDate);
    if (!current || supersedes(o, current)) latest.set(o.businessDate, o);
  }
  return new Map([...latest].map(([date, o]) => [date, formatAmount(o.balance)]));
}

export interface DayBalance {
  date: string;
  balance: string;
}

/** Every calendar day from `from` to `to` (both included) with its balance, carried forward over days without one. */
export function carryForward(endOfDay: ReadonlyMap<string, string>, from: string, to: string): DayBalance[] {
  let carried = '0.00';
  for (const date of [...endOfDay.keys()].sort()) if (date < from) carried = endOfDay.get(date)!;
  const days: DayBalance[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    carried = endOfDay.get(date) ?? carried;
    days.push({ date, balance: carried });
  }
  return days;
}

/** The daily average from `from` to `to`: every calendar day counts, the sum divided by their number. */
export function dailyAverage(endOfDay: ReadonlyMap<string, string>, from: string, to: string): string {
  const days = carryForward(endOfDay, from, to);
  const sum = days.reduce((total, day) => total.plus(day.balance), new Money(0));
  return formatAmount(sum.dividedBy(daysBetween(from, to) + 1));
}
