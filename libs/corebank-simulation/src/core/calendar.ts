/**
 * Simulated time. Instants are epoch milliseconds; business days are `YYYY-MM-DD` in China Standard
 * Time (UTC+08:00, no daylight saving), the zone core banking books in.
 */
export const CST_OFFSET_MS = 8 * 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_MINUTE = 60_000;

/** RFC 3339 with the +08:00 offset, as core banking writes booking times. */
export const toTimestamp = (ms: number): string =>
  new Date(ms + CST_OFFSET_MS).toISOString().replace('Z', '+08:00');

export const cstDateOf = (ms: number): string => new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a CST business day starts. */
export const cstMidnight = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) - CST_OFFSET_MS;

/** An instant on a business day at a CST clock time. */
export const cstAt = (date: string, hours: number, minutes = 0, seconds = 0): number =>
  cstMidnight(date) + hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * 1000;

const parts = (date: string) => date.split('-').map((part) => Number(part)) as [number, number, number];
const format = (d: Date) => d.toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => {
  const [y, m, d] = parts(date);
  return format(new Date(Date.UTC(y, m - 1, d + days)));
};

/** Same day of month `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = parts(date);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))));
};

export const daysBetween = (from: string, to: string): number =>
  Math.round((cstMidnight(to) - cstMidnight(from)) / MS_PER_DAY);

export const dayOfMonth = (date: string): number => parts(date)[2];

export const monthOf = (date: string): string => date.slice(0, 7);

/** The first date on or after `from` whose day of month is `day` (1-28). */
export const nextDayOfMonth = (from: string, day: number): string => {
  const [y, m, d] = parts(from);
  return d <= day ? format(new Date(Date.UTC(y, m - 1, day))) : format(new Date(Date.UTC(y, m, day)));
};

/** Whole years between a birth date and a day. */
export const ageOn = (birthDate: string, on: string): number => {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};
