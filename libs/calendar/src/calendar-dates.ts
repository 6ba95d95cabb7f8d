import { MS_PER_DAY } from './time-units';

/**
 * Arithmetic on business dates (`YYYY-MM-DD`): a date names a day in the bank's calendar, so adding
 * days or months does not depend on any time zone.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parts = (date: string): [number, number, number] => {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
};
const format = (utcMs: number): string => new Date(utcMs).toISOString().slice(0, 10);
const utcOf = (date: string): number => {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
};

export const addDays = (date: string, days: number): string => format(utcOf(date) + days * MS_PER_DAY);

/** Same day of month `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = parts(date);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return format(Date.UTC(y, m - 1 + months, Math.min(d, lastDay)));
};

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((utcOf(to) - utcOf(from)) / MS_PER_DAY);

export const dayOfMonth = (date: string): number => parts(date)[2];

/** `YYYY-MM` of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The first date on or after `from` whose day of month is `day` (1-28). */
export const nextDayOfMonth = (from: string, day: number): string => {
  const [y, m, d] = parts(from);
  return d <= day ? format(Date.UTC(y, m - 1, day)) : format(Date.UTC(y, m, day));
};

/** Whole years between a birth date and a day. */
export const ageOn = (birthDate: string, on: string): number => {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};
