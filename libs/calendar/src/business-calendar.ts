import { addDays, addMonths } from './calendar-dates';
import { MS_PER_MINUTE } from './time-units';

/** Chinese banks book in China Standard Time; a bank elsewhere sets its own zone (BANK_TIME_ZONE). */
export const DEFAULT_BANK_TIME_ZONE = 'Asia/Shanghai';

// A zone's offset changes at most on quarter hours, so one offset serves each quarter hour.
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const OFFSET_CACHE_LIMIT = 10_000;

export const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

/**
 * The bank's business calendar: which business date (`YYYY-MM-DD`) an instant falls on, and when a
 * date or a month begins, in the bank's time zone. Every service and the simulator ask it, so a
 * transaction booked at 00:30 in Hangzhou is on the same day everywhere.
 */
export class BusinessCalendar {
  private readonly wallClock: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  /** The last business day asked for, as [start, end) in epoch ms: events of one batch share a day. */
  private lastDay = { start: 0, end: 0, date: '' };

  constructor(readonly timeZone: string = DEFAULT_BANK_TIME_ZONE) {
    if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${timeZone}`);
    this.wallClock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The business date of an instant (epoch ms, Date, or an RFC 3339 time with any offset). */
  dateOf(instant: number | Date | string): string {
    const ms = toMs(instant);
    if (ms >= this.lastDay.start && ms < this.lastDay.end) return this.lastDay.date;
    const date = new Date(ms + this.offsetAt(ms)).toISOString().slice(0, 10);
    this.lastDay = { start: this.startOf(date), end: this.startOf(addDays(date, 1)), date };
    return date;
  }

  today(now: number = Date.now()): string {
    return this.dateOf(now);
  }

  /** The instant a business date begins. */
  startOf(date: string): number {
    return this.at(date, 0);
  }

  /** The instant of a wall-clock time on a business date. */
  at(date: string, hours: number, minutes = 0, seconds = 0): number {
    const wall = Date.parse(`${date}T00:00:00Z`) + ((hours * 60 + minutes) * 60 + seconds) * 1000;
    if (Number.isNaN(wall)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
    // The offset in force at the instant, which the first guess may sit on the wrong side of.
    const guess = wall - this.offsetAt(wall);
    return wall - this.offsetAt(guess);
  }

  /** A month (`YYYY-MM`) as the half-open span of instants [start, end). */
  monthSpan(month: string): { start: number; end: number } {
    const first = `${month}-01`;
    return { start: this.startOf(first), end: this.startOf(addMonths(first, 1)) };
  }

  /** RFC 3339 with the zone's offset at that instant, as core banking writes booking times. */
  timestamp(ms: number): string {
    const offset = this.offsetAt(ms);
    const local = new Date(ms + offset).toISOString().slice(0, -1);
    const sign = offset < 0 ? '-' : '+';
    const minutes = Math.abs(offset) / MS_PER_MINUTE;
    const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
    const mm = String(minutes % 60).padStart(2, '0');
    return `${local}${sign}${hh}:${mm}`;
  }

  /** Milliseconds to add to UTC to read the bank's wall clock at an instant. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const offset = this.computeOffset(bucket * OFFSET_BUCKET_MS);
    if (this.offsets.size >= OFFSET_CACHE_LIMIT) this.offsets.clear();
    this.offsets.set(bucket, offset);
    return offset;
  }

  private computeOffset(ms: number): number {
    const field: Record<string, number> = {};
    for (const { type, value } of this.wallClock.formatToParts(ms)) field[type] = Number(value);
    const wallAsUtc = Date.UTC(
      field.year,
      field.month - 1,
      field.day,
      field.hour,
      field.minute,
      field.second,
    );
    return wallAsUtc - Math.floor(ms / 1000) * 1000;
  }
}

function toMs(instant: number | Date | string): number {
  const ms =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? Date.parse(instant)
        : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}
