import { AccountClosureReason, AlertKind, type AccountClosedPayload } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/**
 * 存款销户: a deposit account closed for any reason but maturity (a matured product paying out is the
 * expected end, reminded of beforehand). Period: the closing day.
 */
export function depositAccountClosedRule(
  closed: AccountClosedPayload,
  calendar: BusinessCalendar,
): AlertCandidate | null {
  if (closed.reason === AccountClosureReason.Matured) return null;
  return {
    kind: AlertKind.DepositAccountClosed,
    customerId: closed.customerId,
    subjectRef: closed.accountId,
    periodKey: closed.closedOn,
    institutionId: closed.institutionId,
    amount: closed.closingBalance,
    reason: `${closed.kind} account closed (${closed.reason}), ${closed.closingBalance.amount} ${closed.closingBalance.currency} paid out`,
    occurredAt: calendar.startOf(closed.closedOn),
  };
}
