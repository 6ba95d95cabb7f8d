import { addDays, daysBetween } from '@crm/calendar';
import { AccountKind, TransactionChannel } from '@crm/contracts';

/**
 * What the indicators count. Figures are in CNY: a holding or a transaction in another currency counts in
 * no amount (the bank's reporting currency; core banking books CNY today).
 */
export const REPORTING_CURRENCY = 'CNY';

/** The six product kinds a customer can hold: four account kinds, loans and credit cards. */
export const ProductKind = { ...AccountKind, Loan: 'loan', Card: 'card' } as const;
export type ProductKind = (typeof ProductKind)[keyof typeof ProductKind];
export const PRODUCT_KINDS: readonly ProductKind[] = Object.values(ProductKind);

/** Demand deposits (活期): current and savings accounts. */
export const DEMAND_DEPOSIT_KINDS: readonly ProductKind[] = [ProductKind.Current, ProductKind.Savings];
/** Deposits (存款): demand and time deposits. */
export const DEPOSIT_KINDS: readonly ProductKind[] = [...DEMAND_DEPOSIT_KINDS, ProductKind.TimeDeposit];
/** Assets under management (AUM): deposits and wealth products (理财). */
export const ASSET_KINDS: readonly ProductKind[] = [...DEPOSIT_KINDS, ProductKind.WealthProduct];
/** Products with a maturity date: closed at or after it, they matured and were paid out, not renewed. */
export const MATURING_KINDS: readonly ProductKind[] = [ProductKind.TimeDeposit, ProductKind.WealthProduct];

/**
 * Channels a customer acts on (channel shares, activity, recency, RFM): not `batch` (payroll runs, interest,
 * standing orders core banking books), and not reversals (booked on no channel).
 */
export const CUSTOMER_CHANNELS = [
  TransactionChannel.Counter,
  TransactionChannel.Mobile,
  TransactionChannel.Atm,
  TransactionChannel.Pos,
  TransactionChannel.Online,
] as const;

/** The windows of one business date's figures; every window ends on the date and includes it. */
export interface IndicatorPeriods {
  businessDate: string;
  monthStart: string;
  quarterStart: string;
  yearStart: string;
  /** First day of the last 30 and last 90 days. */
  last30From: string;
  last90From: string;
  /** The 90 days before the last 90: [prev90From, prev90To]. */
  prev90From: string;
  prev90To: string;
  /** The day 30 days before the date (AUM then), and the 90 days before the last 30: [prior90From, monthBefore]. */
  monthBefore: string;
  prior90From: string;
  /** The earliest day any figure reads. */
  earliest: string;
  daysMtd: number;
  daysQtd: number;
  daysYtd: number;
}

export function periodsOf(businessDate: string): IndicatorPeriods {
  const [year, month] = businessDate.split('-').map(Number);
  const monthStart = `${businessDate.slice(0, 7)}-01`;
  const quarterStart = `${year}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
  const yearStart = `${year}-01-01`;
  const prev90From = addDays(businessDate, -179);
  const days = (from: string) => daysBetween(from, businessDate) + 1;
  return {
    businessDate,
    monthStart,
    quarterStart,
    yearStart,
    last30From: addDays(businessDate, -29),
    last90From: addDays(businessDate, -89),
    prev90From,
    prev90To: addDays(businessDate, -90),
    monthBefore: addDays(businessDate, -30),
    prior90From: addDays(businessDate, -119),
    earliest: prev90From < yearStart ? prev90From : yearStart,
    daysMtd: days(monthStart),
    daysQtd: days(quarterStart),
    daysYtd: days(yearStart),
  };
}
