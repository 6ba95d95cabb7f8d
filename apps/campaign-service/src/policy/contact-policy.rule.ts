import { BusinessCalendar, MS_PER_DAY, MS_PER_MINUTE, addDays } from '@crm/calendar';
import { MarketingChannel } from '@crm/contracts';

/** Rolling periods a frequency cap counts over, ending at the contact being judged. */
export const CapPeriod = { Day: 'day', Week: 'week', ThirtyDays: '30-days' } as const;
export type CapPeriod = (typeof CapPeriod)[keyof typeof CapPeriod];
export const CAP_PERIOD_MS: Readonly<Record<CapPeriod, number>> = {
  [CapPeriod.Day]: MS_PER_DAY,
  [CapPeriod.Week]: 7 * MS_PER_DAY,
  [CapPeriod.ThirtyDays]: 30 * MS_PER_DAY,
};
/** Contacts older than the longest period never count again: the ledger's window for rebuilding counters. */
export const LONGEST_CAP_PERIOD_MS = Math.max(...Object.values(CAP_PERIOD_MS));

/** Whose contacts a cap counts: one customer's, or every customer's sharing one phone number or e-mail address. */
export const CapSubject = { Customer: 'customer', Phone: 'phone', Email: 'email' } as const;
export type CapSubject = (typeof CapSubject)[keyof typeof CapSubject];

/** At most `max` contacts of `subject` within `period`, on `channel` or (null) on all channels together. */
export interface FrequencyCap {
  subject: CapSubject;
  channel: MarketingChannel | null;
  period: CapPeriod;
  max: number;
}

/** A daily window (bank time, `HH:mm`) in which a channel contacts nobody; `from` > `to` spans midnight. */
export interface QuietHours {
  channel: MarketingChannel;
  from: string;
  to: string;
}

/** The bank's contact policy (global), or an institution's tightening of it. */
export interface ContactPolicy {
  caps: FrequencyCap[];
  quietHours: QuietHours[];
  /** Days after a customer declined a product during which no campaign offers it to them again. */
  declineCoolingDays: number;
  /** Contacts a channel can carry per business day (an SMS gateway's contract, calls a team can make). */
  dailyCapacity: Partial<Record<MarketingChannel, number>>;
  /** Calls and tasks one manager can take per business day. */
  managerDailyTasks: number;
}

const capKey = (c: FrequencyCap) => `${c.subject}|${c.channel ?? '*'}|${c.period}`;

/**
 * The policy in force for a customer: the bank's, tightened by each institution from the head office down
 * to the customer's. A tightening can only make things stricter: the lower cap, the longer cooling, the
 * smaller capacity, and every quiet window of either.
 */
export function tightenPolicy(base: ContactPolicy, tightening: ContactPolicy): ContactPolicy {
  const caps = new Map(base.caps.map((c) => [capKey(c), c]));
  for (const cap of tightening.caps) {
    const existing = caps.get(capKey(cap));
    if (!existing || cap.max < existing.max) caps.set(capKey(cap), cap);
  }
  const dailyCapacity: Partial<Record<MarketingChannel, number>> = { ...base.dailyCapacity };
  for (const [channel, capacity] of Object.entries(tightening.dailyCapacity) as [
    MarketingChannel,
    number,
  ][]) {
    dailyCapacity[channel] = Math.min(capacity, dailyCapacity[channel] ?? capacity);
  }
  return {
    caps: [...caps.values()],
    quietHours: [...base.quietHours, ...tightening.quietHours],
    declineCoolingDays: Math.max(base.declineCoolingDays, tightening.declineCoolingDays),
    dailyCapacity,
    managerDailyTasks: Math.min(base.managerDailyTasks, tightening.managerDailyTasks),
  };
}

/** The parts of a tightening that would loosen the base: a reviewer's reasons to refuse it. */
export function looseningsOf(base: ContactPolicy, tightening: ContactPolicy): string[] {
  const caps = new Map(base.caps.map((c) => [capKey(c), c]));
  const found: string[] = [];
  tightening.caps.forEach((cap, i) => {
    const existing = caps.get(capKey(cap));
    if (existing && cap.max > existing.max) found.push(`caps.${i}.max`);
  });
  if (tightening.declineCoolingDays < base.declineCoolingDays) found.push('declineCoolingDays');
  for (const [channel, capacity] of Object.entries(tightening.dailyCapacity) as [
    MarketingChannel,
    number,
  ][]) {
    const existing = base.dailyCapacity[channel];
    if (existing !== undefined && capacity > existing) found.push(`dailyCapacity.${channel}`);
  }
  if (tightening.managerDailyTasks > base.managerDailyTasks) found.push('managerDailyTasks');
  return found;
}

const minutesOf = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
};

/** The bank's wall-clock minute of the day at `at` (on a daylight-saving day too). */
const minuteOfDay = (calendar: BusinessCalendar, at: number): number => {
  const wallClockMs = (((at + calendar.offsetAt(at)) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return Math.floor(wallClockMs / MS_PER_MINUTE);
};

/**
 * The earliest time at or after `at` outside every quiet window of the channel: `at` itself when it is
 * allowed. A contact due inside quiet hours is deferred to this time, never dropped.
 */
export function nextAllowedTime(
  calendar: BusinessCalendar,
  quietHours: readonly QuietHours[],
  channel: MarketingChannel,
  at: number,
): number {
  const windows = quietHours.filter((q) => q.channel === channel && q.from !== q.to);
  let candidate = at;
  // Each pass leaves at least one window for good; overlapping windows take a few passes.
  for (let pass = 0; pass <= windows.length; pass += 1) {
    const window = windows.find((q) => insideWindow(minuteOfDay(calendar, candidate), q));
    if (!window) return candidate;
    candidate = windowEnd(calendar, candidate, window);
  }
  // Windows covering the whole day leave no allowed time: the next day's start is as good as any.
  return calendar.startOf(addDays(calendar.dateOf(at), 1));
}

function insideWindow(minute: number, q: QuietHours): boolean {
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** When the window containing `at` ends: today's `to`, or tomorrow's for a window past midnight. */
function windowEnd(calendar: BusinessCalendar, at: number, q: QuietHours): number {
  const today = calendar.dateOf(at);
  const to = minutesOf(q.to);
  const endToday = calendar.at(today, Math.floor(to / 60), to % 60);
  return endToday > at ? endToday : calendar.at(addDays(today, 1), Math.floor(to / 60), to % 60);
}

/** The bank's default: a few contacts a week across channels, SMS not at night, a month's cooling after a no. */
export const DEFAULT_CONTACT_POLICY: ContactPolicy = {
  caps: [
    { subject: CapSubject.Customer, channel: null, period: CapPeriod.Day, max: 1 },
    { subject: CapSubject.Customer, channel: null, period: CapPeriod.Week, max: 3 },
    { subject: CapSubject.Customer, channel: null, period: CapPeriod.ThirtyDays, max: 8 },
    { subject: CapSubject.Customer, channel: MarketingChannel.Sms, period: CapPeriod.Week, max: 2 },
    {
      subject: CapSubject.Customer,
      channel: MarketingChannel.PhoneCall,
      period: CapPeriod.ThirtyDays,
      max: 2,
    },
    { subject: CapSubject.Phone, channel: MarketingChannel.Sms, period: CapPeriod.Week, max: 3 },
    { subject: CapSubject.Email, channel: MarketingChannel.Email, period: CapPeriod.Week, max: 3 },
  ],
  quietHours: [
    { channel: MarketingChannel.Sms, from: '21:00', to: '08:00' },
    { channel: MarketingChannel.AppPush, from: '22:00', to: '08:00' },
    { channel: MarketingChannel.PhoneCall, from: '20:00', to: '09:00' },
    { channel: MarketingChannel.Email, from: '22:00', to: '07:00' },
  ],
  declineCoolingDays: 30,
  dailyCapacity: { [MarketingChannel.Sms]: 200_000, [MarketingChannel.AppPush]: 500_000 },
  managerDailyTasks: 30,
};
