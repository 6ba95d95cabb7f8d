import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches, ValidationArguments, registerDecorator } from 'class-validator';
import Decimal from 'decimal.js';
import { IsDecimalAmount, composeDecorators } from '@crm/contracts';
import type { ContributionSpreads } from '../indicators/contribution.rule';
import { REPORTING_CURRENCY } from '../indicators/indicator.rule';
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
