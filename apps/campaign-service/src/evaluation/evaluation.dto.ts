import { ApiProperty } from '@nestjs/swagger';
import { MARKETING_CHANNELS, MarketingChannel } from '@crm/contracts';
import { CampaignStatus } from '../campaigns/campaign-lifecycle.rule';
import { CountByDto } from '../ledger/contact-ledger.dto';
import { EvaluationPhase, UpliftCaveat } from './evaluation.rule';

/** The rows of an evaluation: each arm, then both together. */
export const EvaluationRow = { Treatment: 'treatment', Control: 'control', Total: 'total' } as const;
export type EvaluationRow = (typeof EvaluationRow)[keyof typeof EvaluationRow];

export class ContactsPerCustomerDto {
  @ApiProperty({ description: 'Decimal string, two decimals' }) mean!: string;
  @ApiProperty() max!: number;
}

export class ArmEvaluationDto {
  @ApiProperty({ enum: Object.values(EvaluationRow) }) arm!: EvaluationRow;
  @ApiProperty({ description: 'Customers assigned to the arm' }) targeted!: number;
  @ApiProperty({ description: 'Customers the campaign reached at least once' }) contactedCustomers!: number;
  @ApiProperty({ description: 'Contacts made (sent or delivered)' }) contacts!: number;
  @ApiProperty({ description: 'Contact attempts the policy suppressed' }) suppressed!: number;
  @ApiProperty({
    description:
      'Customers who opened an offered product within the attribution window: after a contact (treatment), while the campaign ran (control)',
  })
  converted!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'converted / targeted (everyone assigned, reached or not); null for an empty arm',
  })
  conversionRate!: number | null;
  @ApiProperty({
    type: ContactsPerCustomerDto,
    description: 'This campaign’s contacts per targeted customer',
  })
  contactsPerCustomer!: ContactsPerCustomerDto;
  @ApiProperty({
    type: ContactsPerCustomerDto,
    description: 'Every campaign’s contacts of these customers during this campaign’s period',
  })
  allCampaignsContactsPerCustomer!: ContactsPerCustomerDto;
}

export class ConfidenceIntervalDto {
  @ApiProperty({ example: 0.95 }) level!: number;
  @ApiProperty() lower!: number;
  @ApiProperty() upper!: number;
  @ApiProperty({
    enum: ['wald'],
    description: 'Normal approximation for a difference of two proportions, cut to [−1, 1]',
  })
  method!: 'wald';
}

export class UpliftDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Treatment’s conversion rate minus control’s (0.05: five percentage points)',
  })
  absolute!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'absolute / control’s rate; null when that is 0',
  })
  relative!: number | null;
  @ApiProperty({ type: ConfidenceIntervalDto, nullable: true })
  confidenceInterval!: ConfidenceIntervalDto | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the interval excludes zero' })
  significant!: boolean | null;
  @ApiProperty({
    enum: Object.values(UpliftCaveat),
    nullable: true,
    description:
      'arm-empty: no uplift (an arm has no one); no-variance: no interval (each arm all 0% or all 100%); few-events: an arm has fewer than 5 conversions or non-conversions, the interval is rough',
  })
  caveat!: UpliftCaveat | null;
}

export class ResponseCountDto {
  @ApiProperty({ enum: ['task', 'offer'], description: 'A manager’s task, or a lobby, counter or app offer' })
  source!: 'task' | 'offer';
  @ApiProperty({ example: 'interested' }) outcome!: string;
  @ApiProperty() count!: number;
}

export class ResponsesDto {
  @ApiProperty({ description: 'Customers who answered: interested, declined, converted, accepted' })
  respondedCustomers!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'respondedCustomers / treatment’s contacted customers',
  })
  responseRate!: number | null;
  @ApiProperty({ type: [ResponseCountDto] }) byOutcome!: ResponseCountDto[];
}

export class ChannelSpendDto {
  @ApiProperty({ enum: MARKETING_CHANNELS }) channel!: MarketingChannel;
  @ApiProperty() contacts!: number;
  @ApiProperty({ example: '0.05', description: 'The campaign’s cost of one contact (0 if it gave none)' })
  costPerContact!: string;
  @ApiProperty({ example: '12.50' }) cost!: string;
}

export class CampaignCostsDto {
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [ChannelSpendDto] }) byChannel!: ChannelSpendDto[];
  @ApiProperty({ example: '120.00', description: 'Sum over contacts made of the channel’s cost' })
  total!: string;
  @ApiProperty({ type: String, nullable: true, description: 'total / treatment’s conversions' })
  perConversion!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Treatment’s conversions less control’s scaled to treatment’s size; two decimals',
  })
  incrementalConversions!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'total / incremental conversions, if above 0' })
  perIncrementalConversion!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Incremental conversions × conversion value' })
  incrementalValue!: string | null;
}

export class EvaluationDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: Object.values(CampaignStatus) }) status!: CampaignStatus;
  @ApiProperty({
    enum: Object.values(EvaluationPhase),
    description:
      'live: the campaign may still contact customers; attributing: it ended, conversions within the attribution window still count; final: the window closed, the figures will not change',
  })
  phase!: EvaluationPhase;
  @ApiProperty({ description: 'When these figures were read' }) evaluatedAt!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty() attributionDays!: number;
  @ApiProperty({ description: 'From this moment no product opened counts as a conversion of the campaign' })
  attributionEndsAt!: string;
  @ApiProperty({ type: [ArmEvaluationDto], description: 'Treatment, control, and the two together' })
  arms!: ArmEvaluationDto[];
  @ApiProperty({ type: UpliftDto }) uplift!: UpliftDto;
  @ApiProperty({ type: [CountByDto], description: 'Contact attempts by outcome' })
  attemptsByOutcome!: CountByDto[];
  @ApiProperty({ type: [CountByDto], description: 'Suppressed attempts by reason' })
  suppressedBy!: CountByDto[];
  @ApiProperty({ type: ResponsesDto }) responses!: ResponsesDto;
  @ApiProperty({ type: CampaignCostsDto }) costs!: CampaignCostsDto;
}
