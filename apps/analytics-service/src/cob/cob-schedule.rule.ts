import { BusinessCalendar, addDays } from '@crm/calendar';

/** Which business date a scheduled close of business closes: the one it fires on, or the day before. */
export const SCHEDULED_DATES = ['today', 'yesterday'] as const;
export type ScheduledDate = (typeof SCHEDULED_DATES)[number];

export const SCHEDULE_OFF = 'off';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Cron fields in order, with their bounds; a sixth field in front of them is seconds. */
const MINUTES_TO_WEEKDAYS = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;
const SECONDS = [0, 59] as const;

/** One cron field: `*`, numbers, ranges, lists and steps, every number within the field's bounds. */
function isCronField(field: string, [min, max]: readonly [number, number]): boolean {
  const within = (n: string) => Number(n) >= min && Number(n) <= max;
  return field.split(',').every((part) => {
    const match = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!match) return false;
    const [, , from, to, step] = match;
    if (from !== undefined && !within(from)) return false;
    if (to !== undefined && (!within(to) || Number(to) < Number(from))) return false;
    return step === undefined || Number(step) > 0;
  });
}

/**
 * The cron pattern of a `COB_SCHEDULE` value, read in the bank's time zone; null when it is `off`:
 * `HH:mm` (every day at that time) or a cron expression of numeric fields (minute hour day-of-month month
 * day-of-week, optionally seconds first). Anything else is not a schedule (undefined).
 */
export function cronOf(schedule: string): string | null | undefined {
  const value = schedule.trim();
  if (value === SCHEDULE_OFF) return null;
  const time = CLOCK_TIME.exec(value);
  if (time) return `${Number(time[2])} ${Number(time[1])} * * *`;
  const fields = value.split(/\s+/);
  const bounds = fields.length === 6 ? [SECONDS, ...MINUTES_TO_WEEKDAYS] : MINUTES_TO_WEEKDAYS;
  if (fields.length !== bounds.length) return undefined;
  return fields.every((field, i) => isCronField(field, bounds[i])) ? fields.join(' ') : undefined;
}

/** The business date a run fired by the schedule at `firedAt` (epoch ms) closes. */
export function scheduledBusinessDate(
  firedAt: number,
  closes: ScheduledDate,
  calendar: BusinessCalendar,
): string {
  const date = calendar.dateOf(firedAt);
  return closes === 'yesterday' ? addDays(date, -1) : date;
}
