import { daysBetween } from '@crm/calendar';
import { Money } from '@crm/persistence';

/**
 * League tables (业绩排名) over a period (from, to]: `from` is the base date (基期), its end-of-day figures the
 * start; `to` the end. Books are the primary institution or manager each customer had at `to` (the snapshot of
 * that close of business), every figure of a book is over its customers at `to`:
 *
 * - AUM at `from` and at `to`, growth = to − from;
 * - AUM daily average (日均) over the days after `from` up to `to`: Σ end-of-day AUM ÷ days, from the two
 *   snapshots' exact year-to-date day sums (so `from` and `to` must be in one year, or `from` the year's eve);
 *   its growth (日均增量) = that average − the AUM at `from`;
 * - new customers: their first product taken within the period;
 * - loans: balance at `from` and at `to`, growth, and loans disbursed within the period with their balance at `to`;
 * - campaign contacts (crm.campaign.contact) due within the period, customers contacted (once per campaign), and
 *   conversions: of those, the ones who opened a product the campaign offered within `attributionDays` of a
 *   contact (from the contact's date on, up to `to`), read from the warehouse's holdings: there is no
 *   conversion event in the contracts;
 * - not counted: visits made against owed (assignment-service publishes no visit event) and alerts acted upon
 *   (crm.alert carries alerts raised, not what was done about them).
 *
 * Ranked by one measure, highest first; equal values share a rank (1, 2, 2, 4).
 */
export const LeagueMeasure = {
  AumGrowth: 'aumGrowth',
  AumTo: 'aumTo',
  AumDailyAverage: 'aumDailyAverage',
  AumDailyAverageGrowth: 'aumDailyAverageGrowth',
  NewCustomers: 'newCustomers',
  LoanGrowth: 'loanGrowth',
  NewLoanBalance: 'newLoanBalance',
  Contacts: 'contacts',
  Conversions: 'conversions',
} as const;
export type LeagueMeasure = (typeof LeagueMeasure)[keyof typeof LeagueMeasure];
export const LEAGUE_MEASURES: readonly LeagueMeasure[] = Object.values(LeagueMeasure);

export const DEFAULT_ATTRIBUTION_DAYS = 30;

/** What a league table leaves out, and why, as its response says. */
export const NOT_COUNTED = [
  'visits made against owed: no event carries visits out of assignment-service',
  'alerts acted upon: crm.alert carries alerts raised, not what was done about them',
];

/** Why a period cannot be read, by the field at fault; none when it can. */
export function periodErrors(from: string, to: string): { field: string; message: string }[] {
  if (to <= from) return [{ field: 'to', message: 'to must be after from' }];
  const [fromYear, toYear] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
  if (fromYear === toYear || from === `${toYear - 1}-12-31`) return [];
  return [
    {
      field: 'from',
      message: `from must be in the year of to (${toYear}) or its eve (${toYear - 1}-12-31): daily averages are read from year-to-date sums`,
    },
  ];
}

/** Days of the period (from, to]. */
export const periodDays = (from: string, to: string): number => daysBetween(from, to);

/** Whether `from`'s year-to-date sums count in `to`'s: the same year (else `from` is the eve of `to`'s year). */
export const sameYear = (from: string, to: string): boolean => from.slice(0, 4) === to.slice(0, 4);

/** Competition ranks by a measure (decimal strings or counts), highest first: equal values share a rank. */
export function ranked<T>(rows: readonly T[], value: (row: T) => string | number, key: (row: T) => string) {
  const sorted = [...rows].sort((a, b) => {
    const order = new Money(value(b)).comparedTo(value(a));
    return order !== 0 ? order : key(a).localeCompare(key(b));
  });
  return sorted.map((row, i) => {
    let first = i;
    while (first > 0 && new Money(value(sorted[first - 1])).eq(value(row))) first -= 1;
    return { row, rank: first + 1 };
  });
}
