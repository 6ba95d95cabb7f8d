import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBoundedText, IsCalendarDate, IsDecimalRate, IsEntityId, IsTimestamp } from '../field.decorators';
import { composeDecorators } from '../compose-decorators';
import { IsMoney, Money } from '../money';

/**
 * Five-tier loan classification (贷款五级分类), best to worst. Wire names: never change.
 * A move to a later tier is a downgrade.
 */
export const LoanClassification = {
  Normal: 'normal',
  SpecialMention: 'special-mention',
  Substandard: 'substandard',
  Doubtful: 'doubtful',
  Loss: 'loss',
} as const;
export type LoanClassification = (typeof LoanClassification)[keyof typeof LoanClassification];

export const LOAN_CLASSIFICATION_ORDER: readonly LoanClassification[] = Object.values(LoanClassification);

/** True when `to` is a worse tier than `from`. */
export const isClassificationDowngrade = (from: LoanClassification, to: LoanClassification): boolean =>
  LOAN_CLASSIFICATION_ORDER.indexOf(to) > LOAN_CLASSIFICATION_ORDER.indexOf(from);

export const RepaymentMethod = {
  EqualInstalment: 'equal-instalment',
  EqualPrincipal: 'equal-principal',
  InterestOnlyBullet: 'interest-only-bullet',
} as const;
export type RepaymentMethod = (typeof RepaymentMethod)[keyof typeof RepaymentMethod];

export const LoanScheduleChangeReason = {
  Prepayment: 'prepayment',
  Restructuring: 'restructuring',
  RateChange: 'rate-change',
  Extension: 'extension',
} as const;
export type LoanScheduleChangeReason =
  (typeof LoanScheduleChangeReason)[keyof typeof LoanScheduleChangeReason];

export const LoanSettlementKind = {
  Matured: 'matured',
  Prepaid: 'prepaid',
  WrittenOff: 'written-off',
} as const;
export type LoanSettlementKind = (typeof LoanSettlementKind)[keyof typeof LoanSettlementKind];

/** `YYYY-MM`, the month an interest period belongs to. */
export const MONTH_PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export class Instalment {
  @IsInt()
  @Min(1)
  sequence!: number;

  @IsCalendarDate()
  dueDate!: string;

  @IsMoney()
  principal!: Money;

  @IsMoney()
  interest!: Money;
}

const IsSchedule = () =>
  composeDecorators(
    IsArray(),
    ArrayNotEmpty(),
    ValidateNested({ each: true }),
    Type(() => Instalment),
  );

class LoanRef {
  @IsEntityId()
  loanId!: string;

  @IsEntityId()
  customerId!: string;

  /** The lending institution. */
  @IsEntityId()
  institutionId!: string;
}

/** A loan was paid out (or, when core banking first connects, an existing loan is replayed). */
export class LoanDisbursedPayload extends LoanRef {
  /** The lending manager (贷款客户经理), primary manager under the coverage rules. */
  @IsEntityId()
  managerId!: string;

  @IsMoney()
  principal!: Money;

  @IsBoundedText(32)
  productCode!: string;

  @IsBoundedText(100)
  productName!: string;

  @IsCalendarDate()
  disbursedOn!: string;

  @IsCalendarDate()
  maturityDate!: string;

  /** Nominal annual rate as a decimal fraction. */
  @IsDecimalRate()
  interestRate!: string;

  @IsIn(Object.values(RepaymentMethod))
  repaymentMethod!: RepaymentMethod;

  /** The deposit account the loan was paid into and instalments are debited from. */
  @IsOptional()
  @IsEntityId()
  settlementAccountId?: string;

  @IsSchedule()
  schedule!: Instalment[];

  @IsIn(Object.values(LoanClassification))
  classification!: LoanClassification;
}

/** The remaining schedule after a prepayment, restructuring or rate change; replaces the earlier one. */
export class LoanScheduleChangedPayload extends LoanRef {
  @IsIn(Object.values(LoanScheduleChangeReason))
  reason!: LoanScheduleChangeReason;

  @IsCalendarDate()
  effectiveOn!: string;

  @IsCalendarDate()
  maturityDate!: string;

  @IsDecimalRate()
  interestRate!: string;

  @IsSchedule()
  schedule!: Instalment[];
}

export class LoanRepaymentReceivedPayload extends LoanRef {
  @IsEntityId()
  repaymentId!: string;

  /** The instalment paid; absent for a prepayment outside the schedule. */
  @IsOptional()
  @IsInt()
  @Min(1)
  instalmentSequence?: number;

  @IsTimestamp()
  receivedAt!: string;

  @IsMoney()
  principalPaid!: Money;

  @IsMoney()
  interestPaid!: Money;

  /** Penalty interest on overdue amounts (罚息), when any was paid. */
  @IsOptional()
  @IsMoney()
  penaltyPaid?: Money;

  @IsMoney()
  outstandingPrincipal!: Money;
}

/** Interest of a period fell due and was not paid (欠息). */
export class LoanInterestUnpaidPayload extends LoanRef {
  @Matches(MONTH_PERIOD, { message: '$property must be a month YYYY-MM' })
  period!: string;

  @IsInt()
  @Min(1)
  instalmentSequence!: number;

  @IsMoney()
  amountUnpaid!: Money;

  /** All interest unpaid on the loan, this period included. */
  @IsMoney()
  totalInterestUnpaid!: Money;

  @IsCalendarDate()
  asOf!: string;
}

/** An instalment is past due (逾期). */
export class LoanOverduePayload extends LoanRef {
  @IsInt()
  @Min(1)
  instalmentSequence!: number;

  @IsCalendarDate()
  dueDate!: string;

  @IsInt()
  @Min(1)
  daysOverdue!: number;

  @IsMoney()
  overduePrincipal!: Money;

  @IsMoney()
  overdueInterest!: Money;

  @IsCalendarDate()
  asOf!: string;
}

export class LoanClassificationChangedPayload extends LoanRef {
  @IsIn(Object.values(LoanClassification))
  from!: LoanClassification;

  @IsIn(Object.values(LoanClassification))
  to!: LoanClassification;

  @IsCalendarDate()
  effectiveOn!: string;

  @IsOptional()
  @IsBoundedText(200)
  reason?: string;
}

export class LoanSettledPayload extends LoanRef {
  @IsIn(Object.values(LoanSettlementKind))
  settlement!: LoanSettlementKind;

  @IsCalendarDate()
  settledOn!: string;

  /** What the last payment (or write-off) covered. */
  @IsMoney()
  finalAmount!: Money;
}
