import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  Matches,
  Max,
  Min,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import Decimal from 'decimal.js';
import { IsDecimalAmount, composeDecorators } from '@crm/contracts';
import type { ContributionSpreads } from '../indicators/contribution.rule';
import { REPORTING_CURRENCY } from '../indicators/indicator.rule';
import { DEFAULT_CHURN_PARAMETERS, type ChurnParameters, type ChurnWeight } from '../profiles/churn.rule';
import {
  DEFAULT_POTENTIAL_TAG_PARAMETERS as TAGS,
  type PotentialTagParameters,
} from '../profiles/potential-tag.rule';
import type { ValueTierThresholds } from '../profiles/value-tier.rule';

/** The value must be greater than the sibling property `lower`; the error names this property. */
function GreaterThan(lower: string): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'greaterThan',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const other = (args.object as Record<string, unknown>)[lower];
          try {
            return new Decimal(value as string).gt(other as string);
          } catch {
            // A malformed amount is reported by its own format check.
            return true;
          }
        },
        defaultMessage: () => `$property must be greater than ${lower}`,
      },
    });
}

const ValidateThreshold = (description: string) =>
  composeDecorators(
    IsDecimalAmount({ nonNegative: true }),
    Matches(/^(?!0+(\.0+)?$)/, { message: '$property must be greater than 0' }),
    ApiProperty({
      type: String,
      example: '300000.00',
      pattern: '^(0|[1-9]\\d{0,17})(\\.\\d{1,2})?$',
      description,
    }),
  );

/** An annual rate, −1 < rate < 1, up to six decimals (0.018 is 1.8% a year). */
const ANNUAL_RATE = /^-?0(\.\d{1,6})?$/;

const ValidateSpread = (description: string) =>
  composeDecorators(
    Matches(ANNUAL_RATE, { message: '$property must be an annual rate between -1 and 1 (e.g. 0.018)' }),
    ApiProperty({ type: String, example: '0.018000', pattern: ANNUAL_RATE.source, description }),
  );

/** Thresholds on the month-to-date daily-average AUM; a figure at a threshold is in the higher tier. */
export class ValueTierThresholdsDto implements ValueTierThresholds {
  @IsIn([REPORTING_CURRENCY])
  @ApiProperty({ enum: [REPORTING_CURRENCY], description: 'Currency of the thresholds and the figures' })
  currency!: string;

  @ValidateThreshold('顶级: at or above this. Greater than `important`')
  @GreaterThan('important')
  top!: string;

  @ValidateThreshold('重要: at or above this, below `top`. Greater than `core`')
  @GreaterThan('core')
  important!: string;

  @ValidateThreshold('核心: at or above this, below `important`; below it 大众 (mass)')
  core!: string;
}

export class ValueTierParametersDto {
  @ApiProperty({ type: ValueTierThresholdsDto })
  thresholds!: ValueTierThresholdsDto;

  @ApiProperty({ type: String, nullable: true, description: 'Who set them; null for the defaults' })
  changedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  changedAt!: string | null;
}

/** Funds-transfer-price spreads per product kind, annual rates; a day's margin is balance × spread / 365. */
export class ContributionSpreadsDto implements ContributionSpreads {
  @ValidateSpread('Current accounts (活期): FTP rate less the rate paid')
  current!: string;

  @ValidateSpread('Savings accounts (活期储蓄)')
  savings!: string;

  @ValidateSpread('Time deposits (定期)')
  timeDeposit!: string;

  @ValidateSpread('Wealth products (理财): the fee margin')
  wealthProduct!: string;

  @ValidateSpread('Loans (贷款): the rate earned less the FTP rate')
  loan!: string;

  @ValidateSpread('Credit cards (贷记卡), on what is owed')
  card!: string;
}

export class ContributionParametersDto {
  @ApiProperty({ type: ContributionSpreadsDto })
  spreads!: ContributionSpreadsDto;

  @ApiProperty({ type: String, nullable: true, description: 'Who set them; null for the defaults' })
  changedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  changedAt!: string | null;
}

/** A share strictly between 0 and 1, up to four decimals (0.2 is 20%). */
const SHARE = /^0\.(?!0+$)\d{1,4}$/;

const ValidateShare = (description: string, example: string) =>
  composeDecorators(
    Matches(SHARE, { message: '$property must be a share between 0 and 1 exclusive (e.g. 0.20)' }),
    ApiProperty({ type: String, example, pattern: SHARE.source, description }),
  );

const ValidateCount = (description: string, example: number, max = 100_000) =>
  composeDecorators(
    IsInt(),
    Min(1),
    Max(max),
    ApiProperty({ type: Number, minimum: 1, maximum: max, example, description }),
  );

const ValidatePoints = (description: string, example: number) =>
  composeDecorators(
    IsInt(),
    Min(0),
    Max(100),
    ApiProperty({ type: Number, minimum: 0, maximum: 100, example, description }),
  );

const Nested = <T>(type: () => new () => T, description: string) =>
  composeDecorators(IsDefined(), ValidateNested(), Type(type), ApiProperty({ type: type(), description }));

export class WealthManagementRuleDto {
  @ValidateThreshold('Demand deposits (活期) at the date from which the tag is given (CNY)')
  minDemandDeposits!: string;

  @ValidateShare(
    'Idle: customer-initiated transactions over 90 days amount to at most this share of the demand deposits',
    TAGS.wealthManagement.maxTurnoverShare,
  )
  maxTurnoverShare!: string;
}

export class LoanRuleDto {
  @ValidateThreshold('Daily-average AUM over the last 90 days from which the tag is given (CNY)')
  minAumAvg90d!: string;

  @ValidateCount('Customer-initiated transactions over the last 90 days at least', TAGS.loan.minTransactions)
  minTransactions!: number;
}

export class CreditCardRuleDto {
  @ValidateCount(
    'Purchases at a terminal (POS) over the last 90 days at least',
    TAGS.creditCard.minPosPurchases,
  )
  minPosPurchases!: number;
}

export class PayrollAgencyRuleDto {
  @ValidateCount(
    'Transfers sent to other banks over the last 90 days at least',
    TAGS.payrollAgency.minTransfers,
  )
  minTransfers!: number;
}

export class MobileActivationRuleDto {
  @ValidateCount(
    'Customer-initiated transactions over the last 90 days, none by mobile or internet banking, at least',
    TAGS.mobileActivation.minTransactions,
  )
  minTransactions!: number;
}

export class HighValueAtRiskRuleDto {
  @ValidateCount('Churn score at least (top and important tiers)', TAGS.highValueAtRisk.minChurnScore, 100)
  minChurnScore!: number;
}

/** The thresholds of the six potential-customer tags (潜力客户标签); a tag scores 50 at its threshold. */
export class PotentialTagsDto implements PotentialTagParameters {
  @Nested(() => WealthManagementRuleDto, 'wealth-management (理财潜力)')
  wealthManagement!: WealthManagementRuleDto;

  @Nested(() => LoanRuleDto, 'loan (贷款潜力), individuals')
  loan!: LoanRuleDto;

  @Nested(() => CreditCardRuleDto, 'credit-card (信用卡潜力), individuals')
  creditCard!: CreditCardRuleDto;

  @Nested(() => PayrollAgencyRuleDto, 'payroll-agency (代发工资潜力), corporate customers')
  payrollAgency!: PayrollAgencyRuleDto;

  @Nested(() => MobileActivationRuleDto, 'mobile-activation (手机银行激活潜力)')
  mobileActivation!: MobileActivationRuleDto;

  @Nested(() => HighValueAtRiskRuleDto, 'high-value-at-risk (高价值流失风险)')
  highValueAtRisk!: HighValueAtRiskRuleDto;
}

export class PotentialTagParametersDto {
  @ApiProperty({ type: PotentialTagsDto })
  rules!: PotentialTagsDto;

  @ApiProperty({ type: String, nullable: true, description: 'Who set them; null for the defaults' })
  changedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  changedAt!: string | null;
}

const W = DEFAULT_CHURN_PARAMETERS.weights;

/** The most points each churn reason adds to the score. */
export class ChurnWeightsDto implements Record<ChurnWeight, number> {
  @ValidatePoints('aum-fall: AUM fell against 30 days before', W.aumFall) aumFall!: number;
  @ValidatePoints('transfers-to-other-banks over the last 30 days', W.transfersToOtherBanks)
  transfersToOtherBanks!: number;
  @ValidatePoints('closures: an account closed in the last 30 days', W.closures) closures!: number;
  @ValidatePoints('maturity-not-renewed in the last 30 days', W.maturityNotRenewed)
  maturityNotRenewed!: number;
  @ValidatePoints('activity-drop against the 90 days before', W.activityDrop) activityDrop!: number;
}

const C = DEFAULT_CHURN_PARAMETERS;

/** The churn score's weights and thresholds, and the warning line (流失预警线). */
export class ChurnParametersDto implements ChurnParameters {
  @ValidateCount('Warned at or above this score (0-100)', C.warningLine, 100)
  warningLine!: number;

  @Nested(() => ChurnWeightsDto, 'Points each reason is worth at most; the score is capped at 100')
  weights!: ChurnWeightsDto;

  @ValidateThreshold('AUM 30 days before from which AUM fall and transfers are judged (CNY)')
  minAum!: string;

  @ValidateShare(
    'AUM fall (÷ AUM 30 days before) naming aum-fall: half its weight here, all at twice',
    C.aumFallShare,
  )
  aumFallShare!: string;

  @ValidateShare(
    'Amount sent to other banks over 30 days ÷ AUM 30 days before naming transfers-to-other-banks',
    C.transferShare,
  )
  transferShare!: string;

  @ValidateShare(
    'Drop of the last 30 days’ transactions against the monthly average of the 90 days before',
    C.activityDropShare,
  )
  activityDropShare!: string;

  @ValidateCount(
    'Transactions over the 90 days before the last 30 for an activity drop to be judged',
    C.minPriorTransactions,
  )
  minPriorTransactions!: number;
}

export class ChurnWarningParametersDto {
  @ApiProperty({ type: ChurnParametersDto })
  churn!: ChurnParametersDto;

  @ApiProperty({ type: String, nullable: true, description: 'Who set them; null for the defaults' })
  changedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  changedAt!: string | null;
}
