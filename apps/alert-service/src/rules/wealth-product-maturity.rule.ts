import { AccountKind, AlertKind, type AlertParameters } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import { planReminder } from './reminder.util';
import type { ReminderPlan } from './rule.types';
import type { MaturingAccount } from './time-deposit-maturity.rule';

/** 理财产品到期提醒: a reminder `lead` days before a wealth product's maturity date. */
export function wealthProductMaturityRule(
  account: MaturingAccount,
  parameters: Pick<AlertParameters, 'reminderDaysBefore'>,
  calendar: BusinessCalendar,
): ReminderPlan | null {
  if (account.kind !== AccountKind.WealthProduct || !account.maturityDate) return null;
  return planReminder(calendar, {
    kind: AlertKind.WealthProductMaturity,
    customerId: account.customerId,
    subjectRef: account.accountId,
    institutionId: account.institutionId,
    dueDate: account.maturityDate,
    leadDays: parameters.reminderDaysBefore.wealthProductMaturity,
    reason: `wealth product matures on ${account.maturityDate}`,
  });
}
