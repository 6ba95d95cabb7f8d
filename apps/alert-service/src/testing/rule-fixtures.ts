import { BusinessCalendar } from '@crm/calendar';
import type { FlowEntry } from '../rules/flow-window.util';

export const SUBJECT = { customerId: 'C1', accountId: 'A1', institutionId: 'I1' };

/** An entry booked at a CST wall time on 2025-03-01 plus `hours`. */
export function entry(id: string, amount: string, hours: number, extra: Partial<FlowEntry> = {}): FlowEntry {
  return {
    transactionId: id,
    at: Date.parse('2025-03-01T09:00:00+08:00') + hours * 3_600_000,
    amount,
    currency: 'CNY',
    toOtherBank: false,
    ...extra,
  };
}

/** Feeds entries one by one in the given order, as the consumer does, and collects every period raised. */
export function feed<T extends { periodKey: string }>(
  entries: FlowEntry[],
  rule: (others: FlowEntry[], added: FlowEntry) => T[],
): string[] {
  const seen: FlowEntry[] = [];
  const periods = new Set<string>();
  for (const e of entries) {
    for (const alert of rule(seen, e)) periods.add(alert.periodKey);
    seen.push(e);
  }
  return [...periods].sort();
}

/** The bank's calendar the rules are judged in: China Standard Time. */
export const calendar = new BusinessCalendar();
/** 00:00 CST of a day, as epoch ms. */
export const cst = (date: string, time = '00:00:00'): number => Date.parse(`${date}T${time}+08:00`);
