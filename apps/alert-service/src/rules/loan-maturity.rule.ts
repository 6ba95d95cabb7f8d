import { AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { planReminder } from './reminder.util';
import type { ReminderPlan } from './rule.types';

export interface LoanTerms {
  loanId: string;
  customerId: string;
  institutionId: string;
  maturityDate: string;
  schedule: readonly { sequence: number; dueDate: string }[];
}

/** 贷款到期提醒: a reminder `lead` days before the loan's maturity date. */
export function loanMaturityRule(
  loan: LoanTerms,
  parameters: Pick<AlertParameters, 'reminderDaysBefore'>,
  calendar: BusinessCalendar,
): ReminderPlan {
  return planReminder(calendar, {
    kind: AlertKind.LoanMaturity,
    customerId: loan.customerId,
    subjectRef: loan.loanId,
    institutionId: loan.institutionId,
    dueDate: loan.maturityDate,
    leadDays: parameters.reminderDaysBefore.loanMaturity,
    reason: `loan matures on ${loan.maturityDate}`,
  });
}
