import { AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { countCrossings, type FlowEntry } from './flow-window.util';
import type { FlowSubject } from './large-inflow.rule';
import type { AlertCandidate } from './rule.types';

/** Transfers sent (PMNT-ICDT-*) to another bank are what this rule counts. */
export const isTransferToOtherBank = (bankTransactionCode: string, sameBank: boolean | undefined): boolean =>
  bankTransactionCode.startsWith('PMNT-ICDT-') && sameBank === false;

/**
 * 频繁转账他行 (a churn signal): at least `count` transfers to other banks booked within the window.
 * Period: the booking day (CST) of the transfer that reaches the count.
 */
export function frequentTransfersToOtherBanksRule(
  subject: FlowSubject,
  debits: readonly FlowEntry[],
  added: FlowEntry,
  parameters: Pick<AlertParameters, 'frequentTransfersToOtherBanks'>,
  calendar: BusinessCalendar,
): AlertCandidate[] {
  const rule = parameters.frequentTransfersToOtherBanks;
  return countCrossings(debits, added, rule).map((c) => ({
    kind: AlertKind.FrequentTransfersToOtherBanks,
    customerId: subject.customerId,
    subjectRef: subject.accountId,
    periodKey: calendar.dateOf(c.entry.at),
    institutionId: subject.institutionId,
    reason: `${c.count} transfers to other banks within ${rule.windowHours} h (threshold ${rule.count})`,
    occurredAt: c.entry.at,
  }));
}
