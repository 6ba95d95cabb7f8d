import type { AlertKind, Money } from '@crm/contracts';

/** What a rule decides: one alert, named by (kind, subjectRef, periodKey), before routing. */
export interface AlertCandidate {
  kind: AlertKind;
  customerId: string;
  /** The account, loan or card. */
  subjectRef: string;
  periodKey: string;
  /** The institution where the triggering fact happened (the account's, loan's or card's). */
  institutionId: string;
  amount?: Money;
  reason: string;
  /** Event time of the fact that raised it (booking time, posting time, due instant). */
  occurredAt: number;
}

/**
 * A reminder ahead of a date: due from the start of the CST day `lead` days before `dueDate`.
 * It becomes an alert when the wall clock or an event of the same customer reaches `dueFrom`.
 */
export interface ReminderPlan {
  kind: AlertKind;
  customerId: string;
  subjectRef: string;
  /** The date reminded of, which is also the period key. */
  dueDate: string;
  institutionId: string;
  dueFrom: number;
  amount?: Money;
  reason: string;
}

/** Identifies one alert everywhere: the unique key in Postgres, the BullMQ job id, the Redis dedupe. */
export const alertKeyOf = (a: { kind: AlertKind; subjectRef: string; periodKey: string }): string =>
  `${a.kind}|${a.subjectRef}|${a.periodKey}`;
