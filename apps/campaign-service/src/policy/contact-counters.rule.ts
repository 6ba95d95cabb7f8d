import { BusinessCalendar } from '@crm/calendar';
import { MarketingChannel } from '@crm/contracts';
import { CAP_PERIOD_MS, CapSubject, ContactPolicy } from './contact-policy.rule';

/**
 * Channels the bank reaches out on. Caps "across all channels" count these; an offer shown where the
 * customer came themselves (lobby, counter, app banner) counts only under caps that name its channel.
 */
export const OUTBOUND_CHANNELS: ReadonlySet<MarketingChannel> = new Set([
  MarketingChannel.Sms,
  MarketingChannel.AppPush,
  MarketingChannel.Email,
  MarketingChannel.PhoneCall,
  MarketingChannel.ManagerTask,
]);

/** Channels a manager does by hand: they count against the manager's day. */
export const MANAGER_CHANNELS: ReadonlySet<MarketingChannel> = new Set([
  MarketingChannel.PhoneCall,
  MarketingChannel.ManagerTask,
]);

/** A contact as the counters see it. */
export interface CountedContact {
  contactId: string;
  customerId: string;
  channel: MarketingChannel;
  /** Keyed hashes (never the number or address): several customers may share one. */
  phoneHash: string | null;
  emailHash: string | null;
  managerId: string | null;
  /** When it was counted (ms). */
  at: number;
}

/** One limit a contact must stay under: at most `max` members of `key` within `windowMs` (0: the whole key, a day's set). */
export interface CounterCheck {
  key: string;
  windowMs: number;
  max: number;
  /** The suppression reason when it blocks, e.g. `cap:customer:*:week`. */
  reason: string;
}

const ALL = '*';

function subjectKeys(subject: CapSubject, contact: CountedContact): string[] {
  const id =
    subject === CapSubject.Customer
      ? contact.customerId
      : subject === CapSubject.Phone
        ? contact.phoneHash
        : contact.emailHash;
  if (id === null) return [];
  const keys = [`${subject}:${id}:${contact.channel}`];
  if (OUTBOUND_CHANNELS.has(contact.channel)) keys.push(`${subject}:${id}:${ALL}`);
  return keys;
}

/**
 * The counters a contact is counted in: sorted sets of contact ids scored by time, which caps count over
 * rolling periods, and sets of one business day's contacts, which capacities count whole.
 */
export interface CounterKeys {
  rolling: string[];
  daily: string[];
}

/**
 * Every counter a contact is counted in, whatever the policy checks today: a cap the bank adds later
 * then sees the contacts already made.
 */
export function counterKeysOf(contact: CountedContact, calendar: BusinessCalendar): CounterKeys {
  const day = calendar.dateOf(contact.at);
  const rolling = [
    ...subjectKeys(CapSubject.Customer, contact),
    ...subjectKeys(CapSubject.Phone, contact),
    ...subjectKeys(CapSubject.Email, contact),
  ];
  const daily = [capacityKey(contact.channel, day)];
  if (contact.managerId && MANAGER_CHANNELS.has(contact.channel))
    daily.push(managerDayKey(contact.managerId, day));
  return { rolling, daily };
}

// Sets, named apart from the sorted sets that counted a day before (a key keeps its type until it expires).
const capacityKey = (channel: MarketingChannel, day: string) => `day:capacity:${channel}:${day}`;
const managerDayKey = (managerId: string, day: string) => `day:manager:${managerId}:${day}`;

/** The limits the policy sets on this contact, in the order they are reported. */
export function counterChecks(
  policy: ContactPolicy,
  contact: CountedContact,
  calendar: BusinessCalendar,
): CounterCheck[] {
  const checks: CounterCheck[] = [];
  for (const cap of policy.caps) {
    if (cap.channel !== null && cap.channel !== contact.channel) continue;
    if (cap.channel === null && !OUTBOUND_CHANNELS.has(contact.channel)) continue;
    const id =
      cap.subject === CapSubject.Customer
        ? contact.customerId
        : cap.subject === CapSubject.Phone
          ? contact.phoneHash
          : contact.emailHash;
    if (id === null) continue;
    const channel = cap.channel ?? ALL;
    checks.push({
      key: `${cap.subject}:${id}:${channel}`,
      windowMs: CAP_PERIOD_MS[cap.period],
      max: cap.max,
      reason: `cap:${cap.subject}:${channel}:${cap.period}`,
    });
  }
  const day = calendar.dateOf(contact.at);
  const capacity = policy.dailyCapacity[contact.channel];
  if (capacity !== undefined)
    checks.push({
      key: capacityKey(contact.channel, day),
      windowMs: 0,
      max: capacity,
      reason: `capacity:${contact.channel}`,
    });
  if (contact.managerId && MANAGER_CHANNELS.has(contact.channel))
    checks.push({
      key: managerDayKey(contact.managerId, day),
      windowMs: 0,
      max: policy.managerDailyTasks,
      reason: 'capacity:manager',
    });
  return checks;
}
