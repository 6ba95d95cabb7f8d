import Decimal from 'decimal.js';

export const CURRENCY = 'CNY';

/** Contract money; a zero is always written `0.00`, never `-0.00`. */
export const money = (amount: Decimal.Value) => {
  const value = new Decimal(amount);
  return { amount: value.isZero() ? '0.00' : value.toFixed(2), currency: CURRENCY };
};

export const ZERO = new Decimal(0);

/** Amounts are exact to the fen; interest is rounded half-up as banks do. */
export const toFen = (value: Decimal.Value): Decimal =>
  new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
