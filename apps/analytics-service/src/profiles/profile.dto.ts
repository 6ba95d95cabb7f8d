import { ApiProperty } from '@nestjs/swagger';
import { CHURN_REASONS, LIFECYCLE_STAGES, POTENTIAL_TAGS, VALUE_TIERS } from '@crm/contracts';
import { RFM_SCORES, RfmSegment } from './rfm.rule';

export class RfmDto {
  @ApiProperty({ enum: RFM_SCORES, description: 'Recency: 5 for the most recent fifth of the bank' })
  recency!: number;
  @ApiProperty({ enum: RFM_SCORES, description: 'Frequency over the last 90 days' }) frequency!: number;
  @ApiProperty({ enum: RFM_SCORES, description: 'Amount over the last 90 days' }) monetary!: number;
  @ApiProperty({ enum: Object.values(RfmSegment) }) segment!: string;
}

export class ProfileTagDto {
  @ApiProperty({ enum: POTENTIAL_TAGS }) tag!: string;
  @ApiProperty({ minimum: 0, maximum: 100, description: '50 at the rule’s threshold, 100 at twice it' })
  score!: number;
  @ApiProperty({
    type: [String],
    example: ['demand deposits of 800000.00 CNY at the date', 'holds no wealth product'],
    description: 'The facts behind the tag, in words a manager reads',
  })
  facts!: string[];
}

/** A customer's profile at a close of business: what crm.analytics.profile carries. */
export class CustomerProfileDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ example: '2025-03-31' }) businessDate!: string;
  @ApiProperty({ enum: VALUE_TIERS, nullable: true, description: 'Null without deposit or wealth accounts' })
  valueTier!: string | null;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage!: string;
  @ApiProperty({ type: RfmDto, nullable: true, description: 'Null for a customer with no transactions' })
  rfm!: RfmDto | null;
  @ApiProperty({
    type: [ProfileTagDto],
    description: 'Potential-customer tags (潜力客户), in the contract’s order',
  })
  tags!: ProfileTagDto[];
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description: 'Churn score (流失预警): the sum of its reasons’ points',
  })
  churnScore!: number;
  @ApiProperty({ enum: CHURN_REASONS, isArray: true, description: 'Why; GET …/churn gives points and facts' })
  churnReasons!: string[];
  @ApiProperty({ format: 'date-time' }) computedAt!: string;
}

export class TierChangeDto {
  @ApiProperty({ example: '2025-03-31' }) businessDate!: string;
  @ApiProperty({ enum: VALUE_TIERS, nullable: true, description: 'Null: no tier before (or a first tier)' })
  fromTier!: string | null;
  @ApiProperty({ enum: VALUE_TIERS, nullable: true }) toTier!: string | null;
}

export class TierHistoryDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: [TierChangeDto], description: 'Newest first' }) changes!: TierChangeDto[];
}
