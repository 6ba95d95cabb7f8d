import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AccountKind,
  AlertKind,
  CustomerKind,
  REGION_CODE,
  composeDecorators,
  IsBoundedText,
  IsDecimalAmount,
  IsEntityId,
  IsMoney,
  IsTimestamp,
  LIFECYCLE_STAGES,
  LifecycleStage,
  MARKETING_CHANNELS,
  MarketingChannel,
  Money,
  VALUE_TIERS,
  ValueTier,
} from '@crm/contracts';
import { Arm, MAX_CONTROL_SHARE } from '../targets/control-group.rule';
import { CampaignAction, CampaignStatus } from './campaign-lifecycle.rule';

/** Who a campaign reaches: a search over customer-service, an uploaded list, or customers an event names. */
export const AudienceKind = { Search: 'search', Upload: 'upload', Event: 'event' } as const;
export type AudienceKind = (typeof AudienceKind)[keyof typeof AudienceKind];

const ALERT_KINDS = Object.values(AlertKind);

/** Per-channel text: the message templates, keyed by channel. */
class ChannelTextDto {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) sms?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) 'app-push'?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) email?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) 'phone-call'?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) 'manager-task'?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) lobby?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) counter?: string;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsBoundedText(1000) 'mobile-banner'?: string;
}

const Cost = () =>
  composeDecorators(
    ApiPropertyOptional({
      type: String,
      example: '0.05',
      description: 'Cost of one contact, in the campaign currency',
    }),
    IsOptional(),
    IsDecimalAmount({ nonNegative: true }),
  );

/** Per-channel cost of one contact, decimal strings in the campaign's currency. */
class ChannelCostDto {
  @Cost() sms?: string;
  @Cost() 'app-push'?: string;
  @Cost() email?: string;
  @Cost() 'phone-call'?: string;
  @Cost() 'manager-task'?: string;
  @Cost() lobby?: string;
  @Cost() counter?: string;
  @Cost() 'mobile-banner'?: string;
}

/** Product kinds customer-service's search knows: the account kinds, loans and credit cards. */
const PRODUCT_KINDS = [...Object.values(AccountKind), 'loan', 'credit-card'];

export class AmountRangeDto {
  @ApiPropertyOptional({ example: '100000.00', description: 'Inclusive lower bound, decimal string (CNY)' })
  @IsOptional()
  @IsDecimalAmount({ nonNegative: true })
  min?: string;

  @ApiPropertyOptional({ example: '5000000.00', description: 'Inclusive upper bound' })
  @IsOptional()
  @IsDecimalAmount({ nonNegative: true })
  max?: string;
}

export class ScoreRangeDto {
  @ApiPropertyOptional({ example: 60, minimum: 0, maximum: 100, description: 'Inclusive lower bound' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  min?: number;

  @ApiPropertyOptional({ example: 100, minimum: 0, maximum: 100, description: 'Inclusive upper bound' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  max?: number;
}

/**
 * A search audience in customer-service's filter language (its gRPC `CustomerFilter`), without the exact
 * ID or phone match: a campaign targets segments, not persons looked up by personal data.
 */
export class AudienceFilterDto {
  @ApiPropertyOptional({ enum: Object.values(CustomerKind) })
  @IsOptional()
  @IsIn(Object.values(CustomerKind))
  kind?: CustomerKind;

  @ApiPropertyOptional({
    type: [String],
    example: ['330106'],
    description: 'GB/T 2260 region codes (any of them)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(REGION_CODE, { each: true, message: 'each of $property must be a six-digit region code' })
  regionCodes?: string[];

  @ApiPropertyOptional({ type: AmountRangeDto, description: 'Assets under management' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  aum?: AmountRangeDto;

  @ApiPropertyOptional({ type: AmountRangeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  depositBalance?: AmountRangeDto;

  @ApiPropertyOptional({ type: AmountRangeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  loanBalance?: AmountRangeDto;

  @ApiPropertyOptional({
    enum: PRODUCT_KINDS,
    isArray: true,
    description: 'Holds a product of any of these kinds',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PRODUCT_KINDS.length)
  @IsIn(PRODUCT_KINDS, { each: true })
  holdsProductKinds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Carries any of these tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEntityId({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    description: 'Narrower than the owner: customers this institution’s subtree covers',
  })
  @IsOptional()
  @IsEntityId()
  institutionId?: string;

  @ApiPropertyOptional({ description: 'Customers this manager covers' })
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @ApiPropertyOptional({
    enum: VALUE_TIERS,
    isArray: true,
    example: ['top', 'important'],
    description: 'Value tiers (any of them) analytics-service last assigned (顶级, 重要, 核心, 大众)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(VALUE_TIERS.length)
  @ArrayUnique()
  @IsIn(VALUE_TIERS, { each: true })
  valueTiers?: ValueTier[];

  @ApiPropertyOptional({
    enum: LIFECYCLE_STAGES,
    isArray: true,
    example: ['declining'],
    description: 'Lifecycle stages (any of them) analytics-service last assigned',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIFECYCLE_STAGES.length)
  @ArrayUnique()
  @IsIn(LIFECYCLE_STAGES, { each: true })
  lifecycleStages?: LifecycleStage[];

  @ApiPropertyOptional({
    type: ScoreRangeDto,
    description: 'Churn warning score (0 to 100) of analytics-service’s latest profile',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreRangeDto)
  churnScore?: ScoreRangeDto;
}

export class AudienceDto {
  @ApiProperty({
    enum: Object.values(AudienceKind),
    description:
      '`search`: customer-service search filter, materialised at launch in the owner institution’s scope; ' +
      '`upload`: customer ids added with POST /campaigns/{id}/targets before launch; ' +
      '`event`: customers named by an alert of the given kinds while the campaign runs',
  })
  @IsIn(Object.values(AudienceKind))
  kind!: AudienceKind;

  @ApiPropertyOptional({
    type: AudienceFilterDto,
    description:
      'For `search`: materialised at launch among the customers the owner institution’s subtree covers',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceFilterDto)
  filter?: AudienceFilterDto;

  @ApiPropertyOptional({
    enum: ALERT_KINDS,
    isArray: true,
    description: 'For `event`: alert kinds that trigger an offer',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALERT_KINDS.length)
  @ArrayUnique()
  @IsIn(ALERT_KINDS, { each: true })
  alertKinds?: AlertKind[];
}

export class CampaignDraftDto {
  @ApiProperty({ example: '三年期定期存款春季营销', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    example: 'Grow time deposits of mass-affluent customers before the rate cut',
    maxLength: 500,
  })
  @IsBoundedText(500)
  objective!: string;

  @ApiProperty({ description: 'The institution that owns it: it may target only that institution’s subtree' })
  @IsEntityId()
  ownerInstitutionId!: string;

  @ApiProperty({ type: [String], example: ['TD-3Y'], description: 'Core-banking product codes offered' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsEntityId({ each: true })
  productCodes!: string[];

  @ApiProperty({ enum: MARKETING_CHANNELS, isArray: true, description: 'In order of preference' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MARKETING_CHANNELS.length)
  @ArrayUnique()
  @IsIn(MARKETING_CHANNELS, { each: true })
  channels!: MarketingChannel[];

  @ApiProperty({ type: ChannelTextDto, description: 'The message per channel; every channel used needs one' })
  @ValidateNested()
  @Type(() => ChannelTextDto)
  templates!: ChannelTextDto;

  @ApiProperty({ type: ChannelCostDto })
  @ValidateNested()
  @Type(() => ChannelCostDto)
  costPerContact!: ChannelCostDto;

  @ApiProperty({
    type: Money,
    description: 'What one conversion is worth to the bank (ranks competing offers)',
  })
  @IsMoney()
  conversionValue!: Money;

  @ApiProperty({ minimum: 1, maximum: 100, example: 50, description: 'Higher wins when campaigns compete' })
  @IsInt()
  @Min(1)
  @Max(100)
  priority!: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_CONTROL_SHARE,
    default: 0.1,
    description: 'Share held back',
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(MAX_CONTROL_SHARE)
  controlShare?: number;

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsTimestamp()
  startsAt!: string;

  @ApiProperty({ example: '2026-12-31T18:00:00+08:00' })
  @IsTimestamp()
  endsAt!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 180,
    default: 30,
    description: 'Days after a contact a purchase counts',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(180)
  attributionDays?: number;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;
}

export class CampaignTransitionDto {
  @ApiProperty({ enum: Object.values(CampaignAction) })
  @IsIn(Object.values(CampaignAction))
  action!: CampaignAction;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsBoundedText(500)
  note?: string;

  @ApiProperty({ description: 'The version read: a campaign changed since is a 409, not overwritten' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class CampaignUpdateDto extends CampaignDraftDto {
  @ApiProperty({ description: 'The version read: a campaign changed since is a 409, not overwritten' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class CampaignQueryDto {
  @ApiPropertyOptional({ enum: Object.values(CampaignStatus) })
  @IsOptional()
  @IsIn(Object.values(CampaignStatus))
  status?: CampaignStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class CampaignTransitionEntryDto {
  @ApiProperty({ enum: Object.values(CampaignStatus), nullable: true }) from!: CampaignStatus | null;
  @ApiProperty({ enum: Object.values(CampaignStatus) }) to!: CampaignStatus;
  @ApiProperty() changedBy!: string;
  @ApiProperty() changedAt!: string;
  @ApiProperty({ nullable: true }) note!: string | null;
}

export class TargetCountsDto {
  @ApiProperty({ enum: Object.values(Arm) }) arm!: Arm;
  @ApiProperty() pending!: number;
  @ApiProperty() contacted!: number;
  @ApiProperty({ description: 'Control customers: never contacted, measured against' }) heldBack!: number;
  @ApiProperty({ description: 'Could not be contacted within the campaign period' }) closed!: number;
}

export class CampaignDto extends CampaignDraftDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ enum: Object.values(CampaignStatus) }) status!: CampaignStatus;
  @ApiProperty() declare controlShare: number;
  @ApiProperty() declare attributionDays: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) submittedBy!: string | null;
  @ApiProperty({ nullable: true }) approvedBy!: string | null;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, description: 'Customers a search audience matched, once materialised' })
  audienceSize!: number | null;
  @ApiProperty({ nullable: true, description: 'When a search audience was materialised (null: not yet)' })
  audienceReadyAt!: string | null;
  @ApiProperty({ nullable: true, description: 'Why a search audience could not be made' })
  audienceError!: string | null;
  @ApiProperty({ type: [CampaignTransitionEntryDto] }) history!: CampaignTransitionEntryDto[];
  @ApiProperty({ type: [TargetCountsDto] }) targets!: TargetCountsDto[];
}

export class CampaignSummaryDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() ownerInstitutionId!: string;
  @ApiProperty({ enum: Object.values(CampaignStatus) }) status!: CampaignStatus;
  @ApiProperty() priority!: number;
  @ApiProperty({ enum: MARKETING_CHANNELS, isArray: true }) channels!: MarketingChannel[];
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty() createdAt!: string;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignSummaryDto] }) items!: CampaignSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
