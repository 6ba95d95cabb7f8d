import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHURN_REASONS,
  ChurnReason,
  LIFECYCLE_STAGES,
  LifecycleStage,
  POTENTIAL_TAGS,
  PotentialTag,
  VALUE_TIERS,
  ValueTier,
} from '@crm/contracts';
import { ConsentDto } from '../consent/consent.dto';

export class CustomerProfileDto {
  @ApiProperty({ example: 'C0000001' }) id!: string;
  @ApiProperty({ enum: ['individual', 'corporate'] }) kind!: string;
  @ApiProperty({ example: '张三' }) name!: string;
  @ApiProperty({ nullable: true, enum: ['male', 'female'] }) gender!: string | null;
  @ApiProperty({
    nullable: true,
    example: '1980-**-**',
    description: 'The year only (1980-**-**) unless the caller holds pii:read',
  })
  birthDate!: string | null;
  @ApiProperty({ nullable: true, example: 46, description: 'Whole years, China Standard Time' }) age!:
    number | null;
  @ApiProperty({ nullable: true, description: 'GB/T 4754 section (corporate)' }) industry!: string | null;
  @ApiProperty({ example: '330106' }) regionCode!: string;
  @ApiProperty() homeInstitutionId!: string;
  @ApiProperty({
    nullable: true,
    description: 'Masked (110***********1234) unless the caller holds pii:read',
  })
  idNumber!: string | null;
  @ApiProperty({ nullable: true, description: 'Masked (138****5678) unless the caller holds pii:read' })
  phone!: string | null;
  @ApiProperty({ nullable: true }) registeredOn!: string | null;
  @ApiProperty({
    nullable: true,
    enum: VALUE_TIERS,
    description: 'From analytics-service; null until it tiers the customer',
  })
  valueTier!: string | null;
  @ApiProperty({
    nullable: true,
    enum: LIFECYCLE_STAGES,
    description: 'From analytics-service; null until it profiles the customer',
  })
  lifecycleStage!: string | null;
}

export class CoveringInstitutionDto {
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true }) managerId!: string | null;
}

export class CoverageDto {
  @ApiProperty({ nullable: true, type: CoveringInstitutionDto }) primary!: CoveringInstitutionDto | null;
  @ApiProperty({ type: [CoveringInstitutionDto] }) secondary!: CoveringInstitutionDto[];
  @ApiProperty() keyCustomer!: boolean;
  @ApiProperty({ nullable: true }) privateBankerId!: string | null;
}

export class HoldingTotalsDto {
  @ApiProperty({ example: '120000.00', description: 'Deposits + wealth products, decimal string' })
  aum!: string;
  @ApiProperty({ example: '100000.00' }) deposits!: string;
  @ApiProperty({ example: '20000.00' }) wealth!: string;
  @ApiProperty({ example: '300000.00', description: 'Outstanding loan principal' }) loans!: string;
  @ApiProperty({ example: '1500.00', description: 'Credit card balances owed' }) cards!: string;
}

export class AccountHoldingDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true }) kind!: string | null;
  @ApiProperty({ nullable: true }) productCode!: string | null;
  @ApiProperty({ nullable: true }) productName!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ example: '1000.00' }) balance!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'ISO 4217; null while the account is known only from its transactions, not its opening',
  })
  currency!: string | null;
  @ApiProperty({ nullable: true }) openedOn!: string | null;
  @ApiProperty({ nullable: true }) closedOn!: string | null;
  @ApiProperty({ nullable: true }) maturityDate!: string | null;
}

export class LoanHoldingDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true }) productCode!: string | null;
  @ApiProperty({ nullable: true }) productName!: string | null;
  @ApiProperty({ enum: ['active', 'overdue', 'settled'] }) status!: string;
  @ApiProperty({ nullable: true, enum: ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] })
  classification!: string | null;
  @ApiProperty({ nullable: true }) principal!: string | null;
  @ApiProperty() outstanding!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty() overdueAmount!: string;
  @ApiProperty() interestUnpaid!: string;
  @ApiProperty({ nullable: true }) disbursedOn!: string | null;
  @ApiProperty({ nullable: true }) maturityDate!: string | null;
}

export class CardHoldingDto {
  @ApiProperty() cardId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true }) productName!: string | null;
  @ApiProperty({ nullable: true, example: '622588******1234' }) maskedCardNumber!: string | null;
  @ApiProperty({ enum: ['active', 'overdue'] }) status!: string;
  @ApiProperty({ nullable: true }) creditLimit!: string | null;
  @ApiProperty() statementBalance!: string;
  @ApiProperty() outstandingBalance!: string;
  @ApiProperty({ nullable: true }) dueDate!: string | null;
}

export class HoldingsDto {
  @ApiProperty({
    enum: ['all', 'institutions'],
    description:
      'all: across the bank (primary side); institutions: only what is held at visibleInstitutionIds',
  })
  visibility!: 'all' | 'institutions';
  @ApiPropertyOptional({ type: [String] }) visibleInstitutionIds?: string[];
  @ApiProperty({ type: HoldingTotalsDto }) totals!: HoldingTotalsDto;
  @ApiProperty({ type: [AccountHoldingDto] }) accounts!: AccountHoldingDto[];
  @ApiProperty({ type: [LoanHoldingDto] }) loans!: LoanHoldingDto[];
  @ApiProperty({ type: [CardHoldingDto] }) cards!: CardHoldingDto[];
}

export class LastTransactionDto {
  @ApiProperty() transactionId!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty({ enum: ['CRDT', 'DBIT'] }) creditDebitIndicator!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() bookedAt!: string;
}

export class RecentTransactionsDto {
  @ApiProperty({ example: 90 }) days!: number;
  @ApiProperty() count!: number;
  @ApiProperty({ example: '5000.00', description: 'Sum of credits in the period' }) credits!: string;
  @ApiProperty({ example: '3000.00', description: 'Sum of debits in the period' }) debits!: string;
  @ApiProperty({ nullable: true, type: LastTransactionDto }) last!: LastTransactionDto | null;
}

export class TagDto {
  @ApiProperty({ example: 'vip-event-2026' }) tag!: string;
  @ApiProperty({ enum: ['manual', 'analytic'] }) kind!: string;
  @ApiProperty({ description: 'manual: the manager; analytic: the model' }) source!: string;
  @ApiProperty({
    nullable: true,
    example: '82.0000',
    description: 'analytic: the model’s score (analytics-service’s potential tags: 0 to 100); manual: null',
  })
  score!: string | null;
  @ApiProperty({ nullable: true }) validUntil!: string | null;
  @ApiProperty() createdAt!: string;
}

export class RfmDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Recency, 5: the most recent fifth of the bank' })
  recency!: number;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Frequency, 5: the most active fifth' })
  frequency!: number;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Monetary, 5: the highest-value fifth' })
  monetary!: number;
  @ApiProperty({ example: 'loyal', description: 'The segment the scores name' }) segment!: string;
}

export class PotentialTagDto {
  @ApiProperty({ enum: POTENTIAL_TAGS }) tag!: PotentialTag;
  @ApiProperty({ minimum: 0, maximum: 100, example: 82, description: 'How strong the potential is' })
  score!: number;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['demand deposits 620000.00 CNY idle for 90 days', 'no wealth-management product held'],
    description:
      'Why, in words a manager reads. They state bank-wide figures, so only the primary side (holdings ' +
      'visibility all) gets them; null for a secondary institution',
  })
  facts!: string[] | null;
}

/** analytics-service's profile of the customer at its latest close of business (潜力客户, 流失预警, RFM). */
export class CustomerAnalyticsDto {
  @ApiProperty({ example: '2026-03-03', description: 'The close of business the profile was computed at' })
  asOf!: string;
  @ApiProperty({ example: '2026-03-03T23:41:07.000Z' }) computedAt!: string;
  @ApiProperty({ nullable: true, enum: VALUE_TIERS, description: 'null: nothing held to tier on' })
  valueTier!: ValueTier | null;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage!: LifecycleStage;
  @ApiProperty({ type: RfmDto, nullable: true, description: 'null: no transactions to score yet' })
  rfm!: RfmDto | null;
  @ApiProperty({ type: [PotentialTagDto], description: 'Potential-customer tags, strongest first' })
  tags!: PotentialTagDto[];
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    example: 12,
    description: 'Churn warning score, 100: about to leave',
  })
  churnScore!: number;
  @ApiProperty({ enum: CHURN_REASONS, isArray: true, description: 'Why the churn score is what it is' })
  churnReasons!: ChurnReason[];
}

export class Customer360Dto {
  @ApiProperty({ type: CustomerProfileDto }) profile!: CustomerProfileDto;
  @ApiProperty({ type: CoverageDto }) coverage!: CoverageDto;
  @ApiProperty({ type: HoldingsDto }) holdings!: HoldingsDto;
  @ApiProperty({ type: RecentTransactionsDto }) recentTransactions!: RecentTransactionsDto;
  @ApiProperty({ type: [TagDto] }) tags!: TagDto[];
  @ApiProperty({ type: [ConsentDto], description: 'Channels without a record are not opted out' })
  consent!: ConsentDto[];
  @ApiProperty({
    type: CustomerAnalyticsDto,
    nullable: true,
    description: 'analytics-service’s latest profile; null until it publishes one for the customer',
  })
  analytics!: CustomerAnalyticsDto | null;
}
