import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import Decimal from 'decimal.js';
import {
  AccountKind,
  CustomerKind,
  Gender,
  IsDecimalAmount,
  IsEntityId,
  IsTimestamp,
  LIFECYCLE_STAGES,
  LifecycleStage,
  VALUE_TIERS,
  ValueTier,
} from '@crm/contracts';
import { CARD_STATUSES } from '../common/holding-status';

/** `max` must not be below `min` of the same range; the error names `max`. */
function NotLessThan(other: string, compare: (a: unknown, b: unknown) => boolean): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'notLessThan',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const lower = (args.object as Record<string, unknown>)[other];
          if (value === undefined || value === null || lower === undefined || lower === null) return true;
          try {
            return compare(lower, value);
          } catch {
            // The format check of each bound reports a malformed value.
            return true;
          }
        },
        defaultMessage: () => `$property must not be less than ${other}`,
      },
    });
}

const decimalNotAbove = (a: unknown, b: unknown) => new Decimal(a as string).lte(b as string);
const numberNotAbove = (a: unknown, b: unknown) => (a as number) <= (b as number);
const textNotAfter = (a: unknown, b: unknown) => Date.parse(a as string) <= Date.parse(b as string);

export class AmountRangeDto {
  @ApiPropertyOptional({ example: '100000.00', description: 'Inclusive lower bound, decimal string (CNY)' })
  @IsOptional()
  @IsDecimalAmount({ nonNegative: true })
  min?: string;

  @ApiPropertyOptional({ example: '5000000.00', description: 'Inclusive upper bound; not below min' })
  @IsOptional()
  @IsDecimalAmount({ nonNegative: true })
  @NotLessThan('min', decimalNotAbove)
  max?: string;
}

export class AgeRangeDto {
  @ApiPropertyOptional({ example: 30, minimum: 0, maximum: 150 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(150)
  min?: number;

  @ApiPropertyOptional({ example: 60, minimum: 0, maximum: 150, description: 'Not below min' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(150)
  @NotLessThan('min', numberNotAbove)
  max?: number;
}

export class ScoreRangeDto {
  @ApiPropertyOptional({ example: 60, minimum: 0, maximum: 100, description: 'Inclusive lower bound' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  min?: number;

  @ApiPropertyOptional({
    example: 100,
    minimum: 0,
    maximum: 100,
    description: 'Inclusive upper bound; not below min',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  @NotLessThan('min', numberNotAbove)
  max?: number;
}

/** Product kinds a holding filter names: the account kinds plus loans and credit cards. */
export const PRODUCT_KINDS = [...Object.values(AccountKind), 'loan', 'credit-card'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export class ProductCriteriaDto {
  @ApiPropertyOptional({ type: [String], example: ['TD-3Y'], description: 'Product codes (any of them)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  productCodes?: string[];

  @ApiPropertyOptional({ enum: PRODUCT_KINDS, isArray: true, description: 'Product types (any of them)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(PRODUCT_KINDS, { each: true })
  productKinds?: ProductKind[];
}

export class CoverageCriteriaDto {
  @ApiPropertyOptional({
    description: 'Customers covered (primary or secondary) by this institution or any below it',
  })
  @IsOptional()
  @IsEntityId()
  institutionId?: string;

  @ApiPropertyOptional({
    description: 'Customers this manager covers (primary, secondary or private banker)',
  })
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @ApiPropertyOptional({ description: 'Key customers (重点客户) only, or none of them' })
  @IsOptional()
  @IsBoolean()
  keyCustomer?: boolean;
}

export class TransactionCountDto {
  @ApiProperty({ example: '2026-08-01T00:00:00+08:00', description: 'Period start (inclusive)' })
  @IsTimestamp()
  from!: string;

  @ApiProperty({ example: '2026-11-01T00:00:00+08:00', description: 'Period end (exclusive); after from' })
  @IsTimestamp()
  @NotLessThan('from', textNotAfter)
  to!: string;

  @ApiPropertyOptional({ example: 5, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  min?: number;

  @ApiPropertyOptional({ example: 100, minimum: 0, description: 'Not below min' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @NotLessThan('min', numberNotAbove)
  max?: number;
}

export class ActivityCriteriaDto {
  @ApiPropertyOptional({ description: 'Last transaction at or after this moment' })
  @IsOptional()
  @IsTimestamp()
  lastTransactionAfter?: string;

  @ApiPropertyOptional({ description: 'Last transaction before this moment (or none at all: no)' })
  @IsOptional()
  @IsTimestamp()
  lastTransactionBefore?: string;

  @ApiPropertyOptional({ type: TransactionCountDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransactionCountDto)
  transactionCount?: TransactionCountDto;
}

/**
 * The conditions of a multi-dimensional customer query (多维度客户查询); all given conditions must hold.
 * Amount conditions apply to the holdings the caller may see.
 */
export class CustomerSearchFilterDto {
  @ApiPropertyOptional({ enum: Object.values(CustomerKind) })
  @IsOptional()
  @IsIn(Object.values(CustomerKind))
  kind?: CustomerKind;

  @ApiPropertyOptional({ enum: Object.values(Gender) })
  @IsOptional()
  @IsIn(Object.values(Gender))
  gender?: Gender;

  @ApiPropertyOptional({ type: AgeRangeDto, description: 'Age in whole years (individuals)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgeRangeDto)
  age?: AgeRangeDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['330106'],
    description: 'GB/T 2260 region codes (any of them)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[1-9]\d{5}$/, { each: true, message: 'each value in $property must be a 6-digit region code' })
  regionCodes?: string[];

  @ApiPropertyOptional({ type: AmountRangeDto, description: 'Assets under management (deposits + wealth)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  aum?: AmountRangeDto;

  @ApiPropertyOptional({
    type: AmountRangeDto,
    description: 'Deposit balance (current, savings, time deposits)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  depositBalance?: AmountRangeDto;

  @ApiPropertyOptional({ type: AmountRangeDto, description: 'Outstanding loan principal' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeDto)
  loanBalance?: AmountRangeDto;

  @ApiPropertyOptional({ type: ProductCriteriaDto, description: 'Holds at least one of these products' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProductCriteriaDto)
  holds?: ProductCriteriaDto;

  @ApiPropertyOptional({ type: ProductCriteriaDto, description: 'Holds none of these products' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProductCriteriaDto)
  doesNotHold?: ProductCriteriaDto;

  @ApiPropertyOptional({
    enum: CARD_STATUSES,
    isArray: true,
    description: 'Has a credit card in one of these states',
  })
  @IsOptional()
  @IsArray()
  @IsIn(CARD_STATUSES, { each: true })
  cardStatuses?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Carries at least one of these tags (manual or analytic, still valid)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    enum: VALUE_TIERS,
    isArray: true,
    example: ['top', 'important'],
    description:
      'Value tiers (any of them), as analytics-service last assigned them; a customer it has not tiered matches none',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(VALUE_TIERS.length)
  @IsIn(VALUE_TIERS, { each: true })
  valueTiers?: ValueTier[];

  @ApiPropertyOptional({
    enum: LIFECYCLE_STAGES,
    isArray: true,
    example: ['declining'],
    description: 'Lifecycle stages (any of them), as analytics-service last assigned them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIFECYCLE_STAGES.length)
  @IsIn(LIFECYCLE_STAGES, { each: true })
  lifecycleStages?: LifecycleStage[];

  @ApiPropertyOptional({
    type: ScoreRangeDto,
    description:
      'Churn score (流失预警, 0 to 100) of analytics-service’s latest profile; a customer without one matches none',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreRangeDto)
  churnScore?: ScoreRangeDto;

  @ApiPropertyOptional({ type: CoverageCriteriaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoverageCriteriaDto)
  coverage?: CoverageCriteriaDto;

  @ApiPropertyOptional({ type: ActivityCriteriaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActivityCriteriaDto)
  activity?: ActivityCriteriaDto;

  @ApiPropertyOptional({
    example: 30,
    minimum: 0,
    maximum: 3650,
    description: 'A time deposit, wealth product or loan matures within N days',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  maturingWithinDays?: number;

  @ApiPropertyOptional({
    description: 'Exact ID number or unified social credit code (matched by keyed hash)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z]{15,18}$/, { message: '$property must be 15 to 18 letters or digits' })
  idNumber?: string;

  @ApiPropertyOptional({ description: 'Exact phone number (matched by keyed hash)' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[\d\s\-()]{5,20}$/, { message: '$property must be a phone number' })
  phone?: string;
}

export class CustomerSearchRequestDto {
  @ApiPropertyOptional({ type: CustomerSearchFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerSearchFilterDto)
  filter?: CustomerSearchFilterDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class CustomerExportRequestDto {
  @ApiPropertyOptional({ type: CustomerSearchFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerSearchFilterDto)
  filter?: CustomerSearchFilterDto;
}

export const DEFAULT_ID_BATCH = 1_000;
export const MAX_ID_BATCH = 10_000;

/** gRPC StreamCustomerIds: every customer a filter matches, as ids in batches (campaign target lists). */
export class CustomerIdStreamRequestDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerSearchFilterDto)
  filter?: CustomerSearchFilterDto;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID_BATCH)
  batchSize?: number;

  /** A bank system searching for this institution's subtree instead of its own scope. */
  @IsOptional()
  @IsEntityId()
  scopeInstitutionId?: string;
}
