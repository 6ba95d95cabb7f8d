import { AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { amountCrossings, type FlowEntry } from './flow-window.util';
import type { AlertCandidate } from './rule.types';

export interface FlowSubject {
  customerId: string;
  accountId: string;
  institutionId: string;
}

/**
 * 大额资金流入: one credit at or above the single threshold, or credits within the window summing to the
 * window threshold (both inclusive). Period: the booking day (CST) of the crossing credit.
 */
export function largeInflowRule(
  subject: FlowSubject,
  credits: readonly FlowEntry[],
  added: FlowEntry,
  parameters: Pick<AlertParameters, 'currency' | 'largeInflow'>,
  calendar: BusinessCalendar,
): AlertCandidate[] {
  return amountCrossings(credits, added, { currency: parameters.currency, ...parameters.largeInflow }).map(
    (c) => ({
      kind: AlertKind.LargeInflow,
      customerId: subject.customerId,
      subjectRef: subject.accountId,
      periodKey: calendar.dateOf(c.entry.at),
      institutionId: subject.institutionId,
      amount: { amount: c.single ? c.entry.amount : c.total, currency: c.entry.currency },
      reason: c.single
        ? `one credit of ${c.entry.amount} ${c.entry.currency} >= ${parameters.largeInflow.singleAmount}`
        : `credits within ${parameters.largeInflow.windowHours} h sum to ${c.total} ${c.entry.currency} >= ${parameters.largeInflow.windowTotal}`,
      occurredAt: c.entry.at,
    }),
  );
}
