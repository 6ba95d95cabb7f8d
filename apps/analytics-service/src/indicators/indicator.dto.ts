import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate, IsEntityId } from '@crm/contracts';

const Amount = (description: string) =>
  ApiProperty({ type: String, example: '125000.00', description: `${description} (CNY, decimal string)` });
const Share = (description: string) =>
  ApiProperty({
    type: String,
    nullable: true,
    example: '0.2500',
    description: `${description}: share of the customer's transactions over the last 90 days, 4 decimals; null with none`,
  });

export class AsOfQueryDto {
  @IsOptional()
  @IsCalendarDate()
  @ApiPropertyOptional({
    example: '2025-03-31',
    description: 'The business date of the figures; default the latest date a close of business finished',
  })
  businessDate?: string;
}

export class AggregateQueryDto extends AsOfQueryDto {
  @IsOptional()
  @IsEntityId()
  @ApiPropertyOptional({
    description: 'Only books of this institution’s subtree (within the caller’s scope)',
  })
  institutionId?: string;
}

export class AssetsDto {
  @Amount('AUM (资产管理规模): deposits and wealth products, end of day') aum!: string;
  @Amount('Deposits (存款): demand and time') deposits!: string;
  @Amount('Demand deposits (活期): current and savings accounts') demandDeposits!: string;
  @Amount('Time deposits (定期)') timeDeposits!: string;
  @Amount('Wealth products (理财)') wealth!: string;
}

export class LiabilitiesDto {
  @Amount('Loans and cards owed') total!: string;
  @Amount('Loan principal outstanding (贷款余额)') loans!: string;
  @Amount('Credit cards owed (贷记卡欠款)') cards!: string;
}

export class DailyAveragesDto {
  @Amount('Deposits, month to date (月日均)') depositsMtd!: string;
  @Amount('Deposits, quarter to date (季日均)') depositsQtd!: string;
  @Amount('Deposits, year to date (年日均)') depositsYtd!: string;
  @Amount('AUM, month to date: what value tiers are measured on') aumMtd!: string;
  @Amount('AUM, quarter to date') aumQtd!: string;
  @Amount('AUM, year to date') aumYtd!: string;
  @Amount('AUM, the last 90 days') aumLast90Days!: string;
  @Amount('AUM, the 90 days before those') aumPrevious90Days!: string;
}

export class HoldingsDto {
  @ApiProperty({ type: String, nullable: true, description: 'The first day any product was held' })
  firstHeldOn!: string | null;
  @ApiProperty({ description: 'Products held (accounts, loans, cards): depth' }) held!: number;
  @ApiProperty({ description: 'Deposit and wealth accounts held' }) assetAccounts!: number;
  @ApiProperty({ description: 'Product kinds held, of six: breadth' }) kinds!: number;
  @ApiProperty({ description: 'Distinct products (product codes) held' }) products!: number;
  @ApiProperty({ example: '0.5000', description: 'Kinds held / 6 (交叉销售率), 4 decimals' })
  crossSellRatio!: string;
  @ApiProperty({ description: 'Whether any product had a balance on one of the last 90 days' })
  hadBalanceLast90Days!: boolean;
}

export class ActivityDto {
  @ApiProperty({ description: 'Customer-initiated transactions, last 30 days' }) count30d!: number;
  @Amount('Their amount, both directions') amount30d!: string;
  @ApiProperty({ description: 'Customer-initiated transactions, last 90 days' }) count90d!: number;
  @Amount('Their amount, both directions') amount90d!: string;
  @ApiProperty({ type: String, nullable: true }) lastTransactionDate!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Days since the last one; null with none ever' })
  recencyDays!: number | null;
}

export class ChannelSharesDto {
  @Share('Counter (柜面)') counter!: string | null;
  @Share('Mobile banking (手机银行)') mobile!: string | null;
  @Share('ATM') atm!: string | null;
  @Share('POS') pos!: string | null;
  @Share('Internet banking (网银)') online!: string | null;
}

export class ContributionDto {
  @Amount('Estimated margin of the date (贡献度)') day!: string;
  @Amount('Estimated margin from the month’s first day to the date') monthToDate!: string;
}

/** The seven classes of indicators of one customer at one business date. */
export class CustomerIndicatorsDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ example: '2025-03-31' }) businessDate!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Primary institution at the date' })
  primaryInstitutionId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Primary manager at the date' })
  primaryManagerId!: string | null;
  @ApiProperty({ type: AssetsDto }) assets!: AssetsDto;
  @ApiProperty({ type: LiabilitiesDto }) liabilities!: LiabilitiesDto;
  @ApiProperty({ type: DailyAveragesDto }) dailyAverages!: DailyAveragesDto;
  @ApiProperty({ type: HoldingsDto }) holdings!: HoldingsDto;
  @ApiProperty({ type: ActivityDto }) activity!: ActivityDto;
  @ApiProperty({ type: ChannelSharesDto }) channelShares!: ChannelSharesDto;
  @ApiProperty({ type: ContributionDto }) contribution!: ContributionDto;
}

export class TierCountsDto {
  @ApiProperty() top!: number;
  @ApiProperty() important!: number;
  @ApiProperty() core!: number;
  @ApiProperty() mass!: number;
  @ApiProperty({ description: 'Customers with no tier (no deposit or wealth account)' }) none!: number;
}

/** Sums over the customers of one book (primary institution or manager at the date). */
export class IndicatorAggregateDto {
  @ApiProperty({ description: 'The institution or manager id' }) key!: string;
  @ApiProperty() customers!: number;
  @Amount('AUM') aum!: string;
  @Amount('Deposits') deposits!: string;
  @Amount('Wealth products') wealth!: string;
  @Amount('Loans') loans!: string;
  @Amount('Cards owed') cards!: string;
  @Amount('Liabilities') liabilities!: string;
  @Amount('Deposit daily averages, month to date') depositsAvgMtd!: string;
  @Amount('Deposit daily averages, quarter to date') depositsAvgQtd!: string;
  @Amount('Deposit daily averages, year to date') depositsAvgYtd!: string;
  @Amount('AUM daily averages, month to date') aumAvgMtd!: string;
  @Amount('AUM daily averages, quarter to date') aumAvgQtd!: string;
  @Amount('AUM daily averages, year to date') aumAvgYtd!: string;
  @Amount('Contribution of the date') contributionDay!: string;
  @Amount('Contribution, month to date') contributionMtd!: string;
  @ApiProperty({ description: 'Customer-initiated transactions, last 30 days' }) txnCount30d!: number;
  @Amount('Their amount') txnAmount30d!: string;
  @ApiProperty({ type: TierCountsDto }) tiers!: TierCountsDto;
}

export class IndicatorAggregatesDto {
  @ApiProperty({ example: '2025-03-31' }) businessDate!: string;
  @ApiProperty({ type: [IndicatorAggregateDto], description: 'One row per book in the caller’s scope' })
  rows!: IndicatorAggregateDto[];
}
