import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsEntityId, IsTimestamp } from '../field.decorators';

/** Value tiers by daily-average AUM (顶级, 重要, 核心, 大众), highest first. Wire names: never change. */
export const ValueTier = { Top: 'top', Important: 'important', Core: 'core', Mass: 'mass' } as const;
export type ValueTier = (typeof ValueTier)[keyof typeof ValueTier];
export const VALUE_TIERS: readonly ValueTier[] = Object.values(ValueTier);

/** Where a customer is in their life with the bank (客户生命周期). Wire names. */
export const LifecycleStage = {
  Prospect: 'prospect',
  New: 'new',
  Growing: 'growing',
  Mature: 'mature',
  Declining: 'declining',
  Lost: 'lost',
} as const;
export type LifecycleStage = (typeof LifecycleStage)[keyof typeof LifecycleStage];
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = Object.values(LifecycleStage);

/** Potential-customer tags (潜力客户), one per class. Wire names. */
export const PotentialTag = {
  WealthManagement: 'wealth-management',
  Loan: 'loan',
  CreditCard: 'credit-card',
  PayrollAgency: 'payroll-agency',
  MobileActivation: 'mobile-activation',
  HighValueAtRisk: 'high-value-at-risk',
} as const;
export type PotentialTag = (typeof PotentialTag)[keyof typeof PotentialTag];
export const POTENTIAL_TAGS: readonly PotentialTag[] = Object.values(PotentialTag);

/** Why a customer's churn score is what it is (流失预警原因). Wire names. */
export const ChurnReason = {
  AumFall: 'aum-fall',
  TransfersToOtherBanks: 'transfers-to-other-banks',
  Closures: 'closures',
  MaturityNotRenewed: 'maturity-not-renewed',
  ActivityDrop: 'activity-drop',
} as const;
export type ChurnReason = (typeof ChurnReason)[keyof typeof ChurnReason];
export const CHURN_REASONS: readonly ChurnReason[] = Object.values(ChurnReason);

/** RFM scores, 1 (lowest fifth of the bank) to 5 (highest fifth), and the segment they name. */
export class RfmScores {
  @IsInt()
  @Min(1)
  @Max(5)
  recency!: number;

  @IsInt()
  @Min(1)
  @Max(5)
  frequency!: number;

  @IsInt()
  @Min(1)
  @Max(5)
  monetary!: number;

  /** The named segment, e.g. `champions`, `at-risk`, `hibernating`. */
  @IsEntityId()
  segment!: string;
}

/** A potential-customer tag with its score and the facts behind it, in words a manager reads. */
export class ProfileTag {
  @IsIn(POTENTIAL_TAGS)
  tag!: PotentialTag;

  /** 0 to 100: how strong the potential is. */
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  facts!: string[];
}

/**
 * analytics-service's view of a customer changed at a close of business (tier, lifecycle stage, RFM,
 * potential tags or churn score): published from the stored profiles, only when something changed. Carries the
 * whole profile as of `businessDate`, not a delta: a consumer keeps the latest business date per customer
 * (a backfill of an earlier date republishes that date's profile, which is older and changes nothing).
 */
export class CustomerProfileChangedPayload {
  @IsEntityId()
  customerId!: string;

  /** The close of business the profile was computed at (YYYY-MM-DD, the bank's calendar). */
  @IsCalendarDate()
  businessDate!: string;

  /** Null while the customer holds nothing the tiers are measured on. */
  @ValidateIf((_, v) => v !== null)
  @IsIn(VALUE_TIERS)
  valueTier!: ValueTier | null;

  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage!: LifecycleStage;

  /** Null for a customer with no transactions yet (nothing to score). */
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => RfmScores)
  rfm!: RfmScores | null;

  @IsArray()
  @ArrayMaxSize(POTENTIAL_TAGS.length)
  @ValidateNested({ each: true })
  @Type(() => ProfileTag)
  tags!: ProfileTag[];

  /** 0 (no sign of leaving) to 100. */
  @IsInt()
  @Min(0)
  @Max(100)
  churnScore!: number;

  @IsArray()
  @ArrayMaxSize(CHURN_REASONS.length)
  @IsIn(CHURN_REASONS, { each: true })
  churnReasons!: ChurnReason[];

  @IsTimestamp()
  computedAt!: string;
}
