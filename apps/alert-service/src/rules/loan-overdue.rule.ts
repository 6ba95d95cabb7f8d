import { AlertKind, type LoanOverduePayload } from '@crm/contracts';
import { money } from '@crm/persistence';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/**
 * 贷款逾期: an instalment past due. Period: the instalment's due date, so the daily overdue notices of one
 * instalment (1, 2, 3 … days overdue) are one alert.
 */
export function loanOverdueRule(overdue: LoanOverduePayload, calendar: BusinessCalendar): AlertCandidate {
  const total = money(overdue.overduePrincipal.amount).plus(overdue.overdueInterest.amount).toFixed(2);
  return {
    kind: AlertKind.LoanOverdue,
    customerId: overdue.customerId,
    subjectRef: overdue.loanId,
    periodKey: overdue.dueDate,
    institutionId: overdue.institutionId,
    amount: { amount: total, currency: overdue.overduePrincipal.currency },
    reason: `instalment ${overdue.instalmentSequence} due ${overdue.dueDate} is ${overdue.daysOverdue} days overdue (${total} ${overdue.overduePrincipal.currency})`,
    occurredAt: calendar.startOf(overdue.asOf),
  };
}
