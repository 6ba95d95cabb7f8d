import { AlertKind, type AlertParameters } from '@crm/contracts';
import type { LoanTerms } from './loan-maturity.rule';
import type { BusinessCalendar } from '@crm/calendar';
import { planReminder } from './reminder.util';
import type { ReminderPlan } from './rule.types';

/**
 * 贷款还款到期提醒: a reminder `lead` days before each instalment still to come on `today` (the day the
 * schedule was learned, CST); instalments already past are the overdue rule's business.
 */
export function loanInstalmentDueRule(
  loan: LoanTerms,
  today: string,
  parameters: Pick<AlertParameters, 'reminderDaysBefore'>,
  calendar: BusinessCalendar,
): ReminderPlan[] {
  return loan.schedule
    .filter((instalment) => instalment.dueDate >= today)
    .map((instalment) =>
      planReminder(calendar, {
        kind: AlertKind.LoanInstalmentDue,
        customerId: loan.customerId,
        subjectRef: loan.loanId,
        institutionId: loan.institutionId,
        dueDate: instalment.dueDate,
        leadDays: parameters.reminderDaysBefore.loanInstalmentDue,
        reason: `instalment ${instalment.sequence} falls due on ${instalment.dueDate}`,
      }),
    );
}
