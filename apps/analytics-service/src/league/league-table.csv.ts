import type { LeagueTableDto } from './league-table.dto';

const COLUMNS = [
  'rank',
  'key',
  'name',
  'customers',
  'aumFrom',
  'aumTo',
  'aumGrowth',
  'aumDailyAverage',
  'aumDailyAverageGrowth',
  'newCustomers',
  'loansFrom',
  'loansTo',
  'loanGrowth',
  'newLoans',
  'newLoanBalance',
  'contacts',
  'contactedCustomers',
  'conversions',
  'conversionRate',
] as const;

/** A field quoted only when it must be (names are free text); quotes doubled, as RFC 4180 says. */
const field = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The league table as CSV: the period and ranking in the first columns of every row, then one row per book by
 * rank. Money is CNY decimal strings; an empty field is a figure that does not exist (a rate with no contacts).
 */
export function leagueTableCsv(t: LeagueTableDto): string {
  const header = ['by', 'from', 'to', 'rank_by', 'attribution_days', ...COLUMNS];
  const lines = t.rows.map((r) =>
    [t.by, t.from, t.to, t.rankBy, t.attributionDays, ...COLUMNS.map((c) => r[c])].map(field).join(','),
  );
  return [header.join(','), ...lines, ''].join('\r\n');
}
