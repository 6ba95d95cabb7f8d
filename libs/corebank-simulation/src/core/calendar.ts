import { BusinessCalendar, DEFAULT_BANK_TIME_ZONE } from '@crm/calendar';

export {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  addDays,
  addMonths,
  ageOn,
  dayOfMonth,
  daysBetween,
  monthOf,
  nextDayOfMonth,
} from '@crm/calendar';

/**
 * Simulated time. Instants are epoch milliseconds; business days are `YYYY-MM-DD` in the simulated
 * bank's calendar, China Standard Time, the zone its core banking books in.
 */
export const SIMULATED_BANK_CALENDAR = new BusinessCalendar(DEFAULT_BANK_TIME_ZONE);

/** RFC 3339 with the bank's offset, as core banking writes booking times. */
export const toTimestamp = (ms: number): string => SIMULATED_BANK_CALENDAR.timestamp(ms);

export const cstDateOf = (ms: number): string => SIMULATED_BANK_CALENDAR.dateOf(ms);

/** The instant a business day starts. */
export const cstMidnight = (date: string): number => SIMULATED_BANK_CALENDAR.startOf(date);

/** An instant on a business day at a wall-clock time. */
export const cstAt = (date: string, hours: number, minutes = 0, seconds = 0): number =>
  SIMULATED_BANK_CALENDAR.at(date, hours, minutes, seconds);
