import { addMonths, monthOf } from '@crm/calendar';
import { MONTH_PERIOD } from '@crm/contracts';

/**
 * The warehouse tables partitioned by business month: the transaction facts (a month's partition attached by
 * its first fact) and the close of business's snapshots (attached by the first run of a date in the month).
 */
export const MonthlyTables = {
  TransactionFact: 'transaction_fact',
  CustomerIndicator: 'customer_indicator',
  CustomerProfile: 'customer_profile',
} as const;
export type MonthlyTable = (typeof MonthlyTables)[keyof typeof MonthlyTables];

export const MONTHLY_TABLES: readonly MonthlyTable[] = Object.values(MonthlyTables);

/** One month of a partitioned table: the business dates [from, to). */
export interface MonthPartition {
  table: MonthlyTable;
  /** `YYYY-MM`. */
  month: string;
  /** `<table>_<yyyy>_<mm>`, e.g. transaction_fact_2025_03. */
  name: string;
  /** The first day of the month. */
  from: string;
  /** The first day of the next month (exclusive), as PostgreSQL range bounds are. */
  to: string;
}

export function monthPartition(table: MonthlyTable, month: string): MonthPartition {
  if (!MONTH_PERIOD.test(month)) throw new RangeError(`not a YYYY-MM month: ${month}`);
  const from = `${month}-01`;
  return { table, month, name: `${table}_${month.replace('-', '_')}`, from, to: addMonths(from, 1) };
}

/** The partition holding a business date. */
export const partitionOfDate = (table: MonthlyTable, businessDate: string): MonthPartition =>
  monthPartition(table, monthOf(businessDate));

/** The month a table named like a partition of `table` holds; undefined for any other table. */
export function monthOfPartitionName(table: MonthlyTable, name: string): string | undefined {
  const match = /^(\d{4})_(\d{2})$/.exec(name.startsWith(`${table}_`) ? name.slice(table.length + 1) : '');
  const month = match ? `${match[1]}-${match[2]}` : undefined;
  return month && MONTH_PERIOD.test(month) ? month : undefined;
}

/**
 * The earliest month that must stay attached on `today`: the current month and the `retainedMonths - 1`
 * before it are what the running figures read.
 */
export const firstRetainedMonth = (today: string, retainedMonths: number): string =>
  monthOf(addMonths(`${monthOf(today)}-01`, 1 - retainedMonths));

/** The attached months "detach everything before `before`" takes, oldest first. */
export const monthsBefore = (attached: readonly string[], before: string): string[] =>
  attached.filter((month) => month < before).sort();
