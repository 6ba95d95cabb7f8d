import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate, IsEntityId } from '@crm/contracts';
import { DEFAULT_ATTRIBUTION_DAYS, LEAGUE_MEASURES, LeagueMeasure } from './league-table.rule';

const Amount = (description: string) =>
  ApiProperty({ type: String, example: '1250000.00', description: `${description} (CNY, decimal string)` });

export class LeagueTableQueryDto {
  @IsCalendarDate()
  @ApiProperty({
    example: '2024-12-31',
    description: 'The base date (基期): figures start at its end of day',
  })
  from!: string;

  @IsCalendarDate()
  @ApiProperty({ example: '2025-03-31', description: 'The period’s last business date; books as of its end' })
  to!: string;

  @IsOptional()
  @IsIn(LEAGUE_MEASURES)
  @ApiPropertyOptional({
    enum: LEAGUE_MEASURES,
    default: LeagueMeasure.AumGrowth,
    description: 'What to rank by',
  })
  rankBy?: LeagueMeasure;

  @IsOptional()
  @IsEntityId()
  @ApiPropertyOptional({ description: 'Only books of this institution’s subtree (within your scope)' })
  institutionId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    default: DEFAULT_ATTRIBUTION_DAYS,
    description:
      'A contacted customer converts by opening an offered product within this many days of a contact',
  })
  attributionDays?: number;
}

export class LeagueRowDto {
  @ApiProperty({ minimum: 1, description: 'By `rankBy`, highest first; equal values share a rank' })
  rank!: number;
  @ApiProperty({ description: 'The institution or manager id' }) key!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: 'Customers of the book at `to`' }) customers!: number;
  @Amount('AUM at the end of `from`') aumFrom!: string;
  @Amount('AUM at the end of `to`') aumTo!: string;
  @Amount('AUM growth: to − from') aumGrowth!: string;
  @Amount('AUM daily average over the days after `from` up to `to` (日均)') aumDailyAverage!: string;
  @Amount('Daily-average growth (日均增量): the daily average − AUM at `from`')
  aumDailyAverageGrowth!: string;
  @ApiProperty({ description: 'Customers whose first product was taken within the period' })
  newCustomers!: number;
  @Amount('Loan balance at the end of `from`') loansFrom!: string;
  @Amount('Loan balance at the end of `to`') loansTo!: string;
  @Amount('Loan balance growth') loanGrowth!: string;
  @ApiProperty({ description: 'Loans disbursed within the period' }) newLoans!: number;
  @Amount('Their balance at the end of `to` (新增贷款余额)') newLoanBalance!: string;
  @ApiProperty({ description: 'Campaign contacts due within the period (crm.campaign.contact)' })
  contacts!: number;
  @ApiProperty({ description: 'Customers contacted, once per campaign' }) contactedCustomers!: number;
  @ApiProperty({ description: 'Of those, who opened an offered product within the attribution window' })
  conversions!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.1250',
    description: 'conversions ÷ contacted, 4 decimals',
  })
  conversionRate!: string | null;
}

export class LeagueTableDto {
  @ApiProperty({ enum: ['institutions', 'managers'] }) by!: string;
  @ApiProperty({ example: '2024-12-31' }) from!: string;
  @ApiProperty({ example: '2025-03-31' }) to!: string;
  @ApiProperty({ description: 'Days after `from` up to `to`' }) days!: number;
  @ApiProperty({ enum: LEAGUE_MEASURES }) rankBy!: string;
  @ApiProperty() attributionDays!: number;
  @ApiProperty({ type: [String], description: 'What the table leaves out, and why' }) notCounted!: string[];
  @ApiProperty({ type: [LeagueRowDto], description: 'Books in your scope, by rank' }) rows!: LeagueRowDto[];
}
