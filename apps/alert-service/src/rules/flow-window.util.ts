import { money } from '@crm/persistence';
import { MS_PER_HOUR } from '@crm/calendar';

/** One booked entry of one account and direction, as the windows keep it (reversed entries are removed). */
export interface FlowEntry {
  transactionId: string;
  /** Booking time (event time), epoch ms. */
  at: number;
  amount: string;
  currency: string;
  /** A credit transfer sent (PMNT-ICDT-*) to another bank. */
  toOtherBank: boolean;
}

export interface AmountWindowRule {
  /** Thresholds are in this currency; entries in any other currency are not compared (see README). */
  currency: string;
  singleAmount: string;
  windowTotal: string;
  windowHours: number;
}

export interface Crossing {
  /** The entry whose trailing window (or own amount) reaches the threshold: its booking day is the period. */
  entry: FlowEntry;
  total: string;
  single: boolean;
}

/** The trailing window ending at an entry: entries booked in (at - W, at], the entry included. */
const windowOf = (entries: readonly FlowEntry[], end: FlowEntry, hours: number): FlowEntry[] =>
  entries.filter((e) => e.at > end.at - hours * MS_PER_HOUR && e.at <= end.at);

/**
 * The entries that have just crossed an amount threshold because `added` was booked. Windows are by
 * booking time, so an entry arriving late also lands in the windows of the entries booked after it
 * (within W): each of those is re-judged. The answer is the same whatever order the entries arrive in.
 * `entries` holds the account's other entries of the same direction (not `added`).
 */
export function amountCrossings(
  entries: readonly FlowEntry[],
  added: FlowEntry,
  rule: AmountWindowRule,
): Crossing[] {
  if (added.currency !== rule.currency) return [];
  const sameCurrency = [...entries.filter((e) => e.currency === rule.currency), added];
  const reach = rule.windowHours * MS_PER_HOUR;
  const affected = sameCurrency.filter((e) => e.at >= added.at && e.at < added.at + reach);
  const crossings: Crossing[] = [];
  for (const end of affected) {
    const total = windowOf(sameCurrency, end, rule.windowHours).reduce(
      (sum, e) => sum.plus(e.amount),
      money('0'),
    );
    const single = end === added && money(added.amount).gte(rule.singleAmount);
    if (single || total.gte(rule.windowTotal))
      crossings.push({ entry: end, total: total.toFixed(2), single });
  }
  return crossings;
}

/**
 * The transfers to other banks whose trailing window holds at least `count` such transfers, among those
 * whose window includes `added`. Counts are currency-blind: a transfer is a transfer.
 */
export function countCrossings(
  entries: readonly FlowEntry[],
  added: FlowEntry,
  rule: { count: number; windowHours: number },
): { entry: FlowEntry; count: number }[] {
  if (!added.toOtherBank) return [];
  const transfers = [...entries.filter((e) => e.toOtherBank), added];
  const reach = rule.windowHours * MS_PER_HOUR;
  return transfers
    .filter((e) => e.at >= added.at && e.at < added.at + reach)
    .map((end) => ({ entry: end, count: windowOf(transfers, end, rule.windowHours).length }))
    .filter((c) => c.count >= rule.count);
}
