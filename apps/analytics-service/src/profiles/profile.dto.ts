import { ApiProperty } from '@nestjs/swagger';
import { CHURN_REASONS, LIFECYCLE_STAGES, VALUE_TIERS } from '@crm/contracts';
import { RFM_SCORES, RfmSegment } from './rfm.rule';

export class RfmDto {
  @ApiProperty({ enum: RFM_SCORES, description: 'Recency: 5 for the most recent fifth of the bank' })
  recency!: number;
  @ApiProperty({ enum: RFM_SCORES, description: 'Frequency over the last 90 days' }) frequency!: number;
  @ApiProperty({ enum: RFM_SCORES, description: 'Amount over the last 90 days' }) monetary!: number;
  @ApiProperty({ enum: Object.values(RfmSegment) }) segment!: string;
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
    type: [Object],
    description: 'Potential-customer tags: a later step of the close of business',
  })
  tags!: object[];
  @ApiProperty({ description: 'Churn score 0-100: a later step of the close of business' })
  churnScore!: number;
  @ApiProperty({ enum: CHURN_REASONS, isArray: true }) churnReasons!: string[];
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
