import { AlertKind, type AlertParameters, type CardStatementIssuedPayload } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { planReminder } from './reminder.util';
import type { ReminderPlan } from './rule.types';

/** 贷记卡还款到期提醒: a reminder `lead` days before a statement's payment due date. */
export function cardRepaymentDueRule(
  statement: CardStatementIssuedPayload,
  parameters: Pick<AlertParameters, 'reminderDaysBefore'>,
  calendar: BusinessCalendar,
): ReminderPlan {
  return planReminder(calendar, {
    kind: AlertKind.CardRepaymentDue,
    customerId: statement.customerId,
    subjectRef: statement.cardId,
    institutionId: statement.institutionId,
    dueDate: statement.dueDate,
    leadDays: parameters.reminderDaysBefore.cardRepaymentDue,
    amount: statement.minimumPayment,
    reason: `statement of ${statement.statementDate}: ${statement.statementBalance.amount} ${statement.statementBalance.currency} due ${statement.dueDate} (minimum ${statement.minimumPayment.amount})`,
  });
}
