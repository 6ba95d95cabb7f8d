import { AccountKind, AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { planReminder } from './reminder.util';
import type { ReminderPlan } from './rule.types';

export interface MaturingAccount {
  accountId: string;
  customerId: string;
  institutionId: string;
  kind: AccountKind;
  maturityDate?: string;
}

/** 定期存款到期提醒: a reminder `lead` days before a time deposit's maturity date. */
export function timeDepositMaturityRule(
  account: MaturingAccount,
  parameters: Pick<AlertParameters, 'reminderDaysBefore'>,
  calendar: BusinessCalendar,
): ReminderPlan | null {
  if (account.kind !== AccountKind.TimeDeposit || !account.maturityDate) return null;
  return planReminder(calendar, {
    kind: AlertKind.TimeDepositMaturity,
    customerId: account.customerId,
    subjectRef: account.accountId,
    institutionId: account.institutionId,
    dueDate: account.maturityDate,
    leadDays: parameters.reminderDaysBefore.timeDepositMaturity,
    reason: `time deposit matures on ${account.maturityDate}`,
  });
}
