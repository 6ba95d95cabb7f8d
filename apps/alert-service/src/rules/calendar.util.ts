/** Calendar days are China Standard Time (UTC+08:00, no daylight saving), as AlertKind states. */
const CST_OFFSET_MS = 8 * 3_600_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** The CST calendar day (`YYYY-MM-DD`) of an instant. */
export const cstDateOf = (ms: number): string => new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a CST calendar day begins. */
export const startOfCstDay = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
