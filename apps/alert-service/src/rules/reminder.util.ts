import type { AlertKind, Money } from '@crm/contracts';
import { addDays, startOfCstDay } from './calendar.util';
import type { ReminderPlan } from './rule.types';

/** The instant a reminder for `dueDate` with `leadDays` becomes due: 00:00 CST, `leadDays` before. */
export const reminderDueFrom = (dueDate: string, leadDays: number): number =>
  startOfCstDay(addDays(dueDate, -leadDays));

/** Judged by event time: a date learned about inside its lead time is due at once. */
export const isReminderDue = (plan: Pick<ReminderPlan, 'dueFrom'>, atMs: number): boolean =>
  plan.dueFrom <= atMs;

export function planReminder(input: {
  kind: AlertKind;
  customerId: string;
  subjectRef: string;
  institutionId: string;
  dueDate: string;
  leadDays: number;
  reason: string;
  amount?: Money;
}): ReminderPlan {
  return {
    kind: input.kind,
    customerId: input.customerId,
    subjectRef: input.subjectRef,
    institutionId: input.institutionId,
    dueDate: input.dueDate,
    dueFrom: reminderDueFrom(input.dueDate, input.leadDays),
    reason: input.reason,
    ...(input.amount ? { amount: input.amount } : {}),
  };
}
