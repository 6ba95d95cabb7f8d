import Decimal from 'decimal.js';
import { Column, ColumnOptions } from 'typeorm';

/**
 * Amounts in the database are numeric(20,2); pg returns numeric as a string, and so we keep
 * them: a decimal string in the entity, Decimal for arithmetic, never a JS number.
 */
export const MoneyColumn = (options: Omit<ColumnOptions, 'type' | 'precision' | 'scale'> = {}) =>
  Column({ ...options, type: 'numeric', precision: 20, scale: 2 });

/** Decimal configured for money: enough precision for numeric(20,2) sums, half-up rounding (四舍五入). */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type MoneyValue = InstanceType<typeof Money>;

export const money = (amount: string | MoneyValue): MoneyValue => new Money(amount);

/** The canonical decimal string of an amount: two decimals, rounded half-up. */
export const formatAmount = (amount: MoneyValue | string): string => money(amount).toFixed(2);

export const sumAmounts = (amounts: Iterable<string>): string => {
  let total = new Money(0);
  for (const a of amounts) total = total.plus(a);
  return total.toFixed(2);
};
