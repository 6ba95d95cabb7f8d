import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsBoundedText, IsEntityId, IsTimestamp } from '../field.decorators';
import { IsMoney, Money } from '../money';

/**
 * The 14 alert kinds (提醒). Wire names: never change. Each entry states the trigger and the period key;
 * one alert is raised per (kind, subjectRef, periodKey), so a repeated trigger in the same period is not a
 * new alert. Transaction windows run on booking time (event time), per account, and include the entry
 * being booked; calendar days are China Standard Time (UTC+08:00). A reminder is due from the start of the
 * day `lead` days before its date, judged by event time (so a product learned about inside its lead time is
 * reminded at once). Thresholds are in DEFAULT_ALERT_PARAMETERS; an institution may override them.
 */
export const AlertKind = {
  /** Credit >= single threshold, or credits within the window summing >= window threshold. Period: booking day of the crossing credit; subject: account. */
  LargeInflow: 'large-inflow',
  /** As large-inflow, for debits. Period: booking day of the crossing debit; subject: account. */
  LargeOutflow: 'large-outflow',
  /** Credit transfers sent (code PMNT-ICDT-*) to another bank (agent not sameBank) within the window >= count. Period: booking day of the crossing debit; subject: account. */
  FrequentTransfersToOtherBanks: 'frequent-transfers-to-other-banks',
  /** A deposit account closed for any reason but `matured`. Period: closing day; subject: account. */
  DepositAccountClosed: 'deposit-account-closed',
  /** Reminder: a time deposit matures within the lead days. Period: maturity date; subject: account. */
  TimeDepositMaturity: 'time-deposit-maturity',
  /** Reminder: a wealth product matures within the lead days. Period: maturity date; subject: account. */
  WealthProductMaturity: 'wealth-product-maturity',
  /** One card spend >= the threshold. Period: posting day; subject: card. */
  LargeCardSpend: 'large-card-spend',
  /** Reminder: a loan matures within the lead days. Period: maturity date; subject: loan. */
  LoanMaturity: 'loan-maturity',
  /** Reminder: an instalment falls due within the lead days. Period: instalment due date; subject: loan. */
  LoanInstalmentDue: 'loan-instalment-due',
  /** Reminder: a statement's payment falls due within the lead days. Period: due date; subject: card. */
  CardRepaymentDue: 'card-repayment-due',
  /** loan.interest-unpaid received. Period: its period (YYYY-MM); subject: loan. */
  LoanInterestUnpaid: 'loan-interest-unpaid',
  /** loan.overdue received. Period: the overdue instalment's due date; subject: loan. */
  LoanOverdue: 'loan-overdue',
  /** loan.classification-changed to a worse tier. Period: `<to>@<effectiveOn>`; subject: loan. */
  LoanClassificationDowngrade: 'loan-classification-downgrade',
  /** card.overdue received. Period: the statement's due date; subject: card. */
  CardOverdue: 'card-overdue',
} as const;
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];

export const AlertSeverity = { Info: 'info', Warning: 'warning', Critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** Severity an alert of each kind carries unless the bank configures otherwise. */
export const DEFAULT_ALERT_SEVERITY: Readonly<Record<AlertKind, AlertSeverity>> = {
  [AlertKind.LargeInflow]: AlertSeverity.Info,
  [AlertKind.LargeOutflow]: AlertSeverity.Warning,
  [AlertKind.FrequentTransfersToOtherBanks]: AlertSeverity.Warning,
  [AlertKind.DepositAccountClosed]: AlertSeverity.Warning,
  [AlertKind.TimeDepositMaturity]: AlertSeverity.Info,
  [AlertKind.WealthProductMaturity]: AlertSeverity.Info,
  [AlertKind.LargeCardSpend]: AlertSeverity.Info,
  [AlertKind.LoanMaturity]: AlertSeverity.Info,
  [AlertKind.LoanInstalmentDue]: AlertSeverity.Info,
  [AlertKind.CardRepaymentDue]: AlertSeverity.Info,
  [AlertKind.LoanInterestUnpaid]: AlertSeverity.Warning,
  [AlertKind.LoanOverdue]: AlertSeverity.Critical,
  [AlertKind.LoanClassificationDowngrade]: AlertSeverity.Critical,
  [AlertKind.CardOverdue]: AlertSeverity.Warning,
};

/** Thresholds and lead times the bank sets (decimal strings in CNY; windows in hours, leads in days). */
export interface AlertParameters {
  currency: string;
  largeInflow: { singleAmount: string; windowTotal: string; windowHours: number };
  largeOutflow: { singleAmount: string; windowTotal: string; windowHours: number };
  frequentTransfersToOtherBanks: { count: number; windowHours: number };
  largeCardSpend: { singleAmount: string };
  reminderDaysBefore: {
    timeDepositMaturity: number;
    wealthProductMaturity: number;
    loanMaturity: number;
    loanInstalmentDue: number;
    cardRepaymentDue: number;
  };
}

/** The bank's defaults. Comparisons are inclusive: an amount equal to a threshold raises the alert. */
export const DEFAULT_ALERT_PARAMETERS: Readonly<AlertParameters> = Object.freeze({
  currency: 'CNY',
  largeInflow: { singleAmount: '500000.00', windowTotal: '1000000.00', windowHours: 24 },
  largeOutflow: { singleAmount: '500000.00', windowTotal: '1000000.00', windowHours: 24 },
  frequentTransfersToOtherBanks: { count: 5, windowHours: 24 },
  largeCardSpend: { singleAmount: '50000.00' },
  reminderDaysBefore: {
    timeDepositMaturity: 7,
    wealthProductMaturity: 7,
    loanMaturity: 30,
    loanInstalmentDue: 3,
    cardRepaymentDue: 3,
  },
});

/** An alert for a customer's managers (primary first), produced by the alert service. */
export class AlertRaisedPayload {
  @IsEntityId()
  alertId!: string;

  @IsIn(Object.values(AlertKind))
  kind!: AlertKind;

  @IsEntityId()
  customerId!: string;

  /** The account, loan or card the alert is about. */
  @IsEntityId()
  subjectRef!: string;

  /** Deduplicates the alert: see AlertKind for what each kind uses. */
  @IsBoundedText(64)
  periodKey!: string;

  @IsIn(Object.values(AlertSeverity))
  severity!: AlertSeverity;

  /** The amount the alert is about (the inflow, the overdue amount...), when there is one. */
  @IsOptional()
  @IsMoney()
  amount?: Money;

  /** The institution whose managers act on it (the customer's primary institution). */
  @IsEntityId()
  institutionId!: string;

  /** The manager it is routed to, when coverage names one. */
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @IsTimestamp()
  raisedAt!: string;

  /** Why, in words a manager reads. */
  @IsBoundedText(500)
  reason!: string;

  /** Ids of the events that triggered it, for tracing. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsEntityId({ each: true })
  sourceEventIds?: string[];
}
