import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import { IsCurrencyCode, IsDecimalAmount, type AlertParameters } from '@crm/contracts';
import { composeDecorators } from '@crm/contracts';
import { MAX_WINDOW_HOURS } from '../windows/flow-window.store';

/** A threshold: validation and OpenAPI from one decorator. */
const ValidateThreshold = (description: string) =>
  composeDecorators(
    IsDecimalAmount({ nonNegative: true }),
    ApiProperty({
      type: String,
      example: '500000.00',
      pattern: '^(0|[1-9]\\d{0,17})(\\.\\d{1,2})?$',
      description,
    }),
  );

const ValidateHours = () =>
  composeDecorators(
    IsInt(),
    Min(1),
    Max(MAX_WINDOW_HOURS),
    ApiProperty({
      type: Number,
      minimum: 1,
      maximum: MAX_WINDOW_HOURS,
      example: 24,
      description: 'Window length in hours (booking time)',
    }),
  );

const ValidateLeadDays = (description: string) =>
  composeDecorators(
    IsInt(),
    Min(0),
    Max(366),
    ApiProperty({ type: Number, minimum: 0, maximum: 366, example: 7, description }),
  );

export class AmountWindowDto {
  @ValidateThreshold('One entry at or above this raises the alert (inclusive)')
  singleAmount!: string;

  @ValidateThreshold('Entries within the window summing to this raise the alert (inclusive)')
  windowTotal!: string;

  @ValidateHours()
  windowHours!: number;
}

export class FrequentTransfersDto {
  @IsInt()
  @Min(1)
  @Max(1000)
  @ApiProperty({
    type: Number,
    minimum: 1,
    maximum: 1000,
    example: 5,
    description: 'Transfers to other banks within the window',
  })
  count!: number;

  @ValidateHours()
  windowHours!: number;
}

export class CardSpendDto {
  @ValidateThreshold('One card spend at or above this raises the alert (inclusive)')
  singleAmount!: string;
}

export class ReminderDaysDto {
  @ValidateLeadDays('Days before a time deposit matures')
  timeDepositMaturity!: number;

  @ValidateLeadDays('Days before a wealth product matures')
  wealthProductMaturity!: number;

  @ValidateLeadDays('Days before a loan matures')
  loanMaturity!: number;

  @ValidateLeadDays('Days before a loan instalment falls due')
  loanInstalmentDue!: number;

  @ValidateLeadDays('Days before a card statement’s payment falls due')
  cardRepaymentDue!: number;
}

/** The full set of thresholds and lead times (PUT replaces an institution's set as a whole). */
export class AlertParametersDto implements AlertParameters {
  @IsCurrencyCode()
  @ApiProperty({
    example: 'CNY',
    description: 'Currency of every amount threshold; entries in other currencies are not compared',
  })
  currency!: string;

  @ValidateNested()
  @Type(() => AmountWindowDto)
  @ApiProperty({ type: AmountWindowDto, description: '大额资金流入' })
  largeInflow!: AmountWindowDto;

  @ValidateNested()
  @Type(() => AmountWindowDto)
  @ApiProperty({ type: AmountWindowDto, description: '大额资金流出' })
  largeOutflow!: AmountWindowDto;

  @ValidateNested()
  @Type(() => FrequentTransfersDto)
  @ApiProperty({ type: FrequentTransfersDto, description: '频繁转账他行' })
  frequentTransfersToOtherBanks!: FrequentTransfersDto;

  @ValidateNested()
  @Type(() => CardSpendDto)
  @ApiProperty({ type: CardSpendDto, description: '贷记卡大额消费' })
  largeCardSpend!: CardSpendDto;

  @ValidateNested()
  @Type(() => ReminderDaysDto)
  @ApiProperty({ type: ReminderDaysDto, description: 'Reminder lead times (到期提醒)' })
  reminderDaysBefore!: ReminderDaysDto;
}

export class EffectiveParametersDto {
  @ApiProperty({ example: 'OUT-330106-01' })
  institutionId!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'The institution whose override applies (this one or an ancestor); null for the bank defaults',
  })
  setAt!: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'When that override took effect',
  })
  effectiveFrom!: string | null;

  @ApiProperty({ type: AlertParametersDto })
  parameters!: AlertParametersDto;
}
