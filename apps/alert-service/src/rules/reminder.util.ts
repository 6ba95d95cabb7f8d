import { type BusinessCalendar, addDays } from '@crm/calendar';
import type { AlertKind, Money } from '@crm/contracts';
import type { ReminderPlan } from './rule.types';

/** The instant a reminder for `dueDate` with `leadDays` becomes due: the start of the business day `leadDays` before. */
export const reminderDueFrom = (calendar: BusinessCalendar, dueDate: string, leadDays: number): number =>
  calendar.startOf(addDays(dueDate, -leadDays));

/** Judged by event time: a date learned about inside its lead time is due at once. */
export const isReminderDue = (plan: Pick<ReminderPlan, 'dueFrom'>, atMs: number): boolean =>
  plan.dueFrom <= atMs;

export function planReminder(
  calendar: BusinessCalendar,
  input: {
    kind: AlertKind;
    customerId: string;
    subjectRef: string;
    institutionId: string;
    dueDate: string;
    leadDays: number;
    reason: string;
    amount?: Money;
  },
): ReminderPlan {
  return {
    kind: input.kind,
    customerId: input.customerId,
    subjectRef: input.subjectRef,
    institutionId: input.institutionId,
    dueDate: input.dueDate,
    dueFrom: reminderDueFrom(calendar, input.dueDate, input.leadDays),
    reason: input.reason,
    ...(input.amount ? { amount: input.amount } : {}),
  };
}
