import { AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { amountCrossings, type FlowEntry } from './flow-window.util';
import type { FlowSubject } from './large-inflow.rule';
import type { AlertCandidate } from './rule.types';

/**
 * 大额资金流出: one debit at or above the single threshold, or debits within the window summing to the
 * window threshold (both inclusive). Period: the booking day (CST) of the crossing debit.
 */
export function largeOutflowRule(
  subject: FlowSubject,
  debits: readonly FlowEntry[],
  added: FlowEntry,
  parameters: Pick<AlertParameters, 'currency' | 'largeOutflow'>,
  calendar: BusinessCalendar,
): AlertCandidate[] {
  return amountCrossings(debits, added, { currency: parameters.currency, ...parameters.largeOutflow }).map(
    (c) => ({
      kind: AlertKind.LargeOutflow,
      customerId: subject.customerId,
      subjectRef: subject.accountId,
      periodKey: calendar.dateOf(c.entry.at),
      institutionId: subject.institutionId,
      amount: { amount: c.single ? c.entry.amount : c.total, currency: c.entry.currency },
      reason: c.single
        ? `one debit of ${c.entry.amount} ${c.entry.currency} >= ${parameters.largeOutflow.singleAmount}`
        : `debits within ${parameters.largeOutflow.windowHours} h sum to ${c.total} ${c.entry.currency} >= ${parameters.largeOutflow.windowTotal}`,
      occurredAt: c.entry.at,
    }),
  );
}
