import { AlertKind, type CardOverduePayload } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/** 贷记卡逾期: a statement's minimum payment missed. Period: the statement's due date (one per statement). */
export function cardOverdueRule(overdue: CardOverduePayload, calendar: BusinessCalendar): AlertCandidate {
  return {
    kind: AlertKind.CardOverdue,
    customerId: overdue.customerId,
    subjectRef: overdue.cardId,
    periodKey: overdue.dueDate,
    institutionId: overdue.institutionId,
    amount: overdue.overdueAmount,
    reason: `minimum payment of the ${overdue.statementDate} statement unpaid ${overdue.daysOverdue} days after ${overdue.dueDate}: ${overdue.overdueAmount.amount} ${overdue.overdueAmount.currency}`,
    occurredAt: calendar.startOf(overdue.asOf),
  };
}
