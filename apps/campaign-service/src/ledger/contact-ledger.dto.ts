import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsEntityId, IsTimestamp } from '@crm/contracts';
import { CAMPAIGN_ID } from '../common/route-params.dto';

export class LedgerQueryDto {
  @ApiPropertyOptional({ description: 'One campaign only' })
  @IsOptional()
  @Matches(CAMPAIGN_ID, { message: '$property must be a campaign id (CMP- and 12 letters or digits)' })
  campaignId?: string;

  @ApiPropertyOptional({
    description: 'Customers of this institution’s subtree only (within the caller’s scope)',
  })
  @IsOptional()
  @IsEntityId()
  institutionId?: string;

  @ApiPropertyOptional({ description: 'Contacts recorded from (inclusive); default 30 days ago' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'Contacts recorded until (exclusive); default now' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

export class CountByDto {
  @ApiProperty() key!: string;
  @ApiProperty() count!: number;
}

/** How many contacts each customer (or phone number) got: the over-marketing the policy is for. */
export class ContactsPerSubjectDto {
  @ApiProperty({ description: 'Customers (or numbers) contacted at least once' }) subjects!: number;
  @ApiProperty() max!: number;
  @ApiProperty({ description: 'Decimal string, two decimals' }) mean!: string;
  @ApiProperty({ type: [CountByDto], description: 'Subjects by number of contacts (key: the number)' })
  distribution!: CountByDto[];
}

export class LedgerSummaryDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({
    type: [CountByDto],
    description: 'Attempts by outcome: sent, delivered, suppressed, deferred, failed',
  })
  byOutcome!: CountByDto[];
  @ApiProperty({ type: [CountByDto], description: 'Contacts made, by channel' }) byChannel!: CountByDto[];
  @ApiProperty({ type: [CountByDto], description: 'Contacts made, by campaign' }) byCampaign!: CountByDto[];
  @ApiProperty({ type: [CountByDto], description: 'Contacts made, by the customer’s institution' })
  byInstitution!: CountByDto[];
  @ApiProperty({ type: [CountByDto], description: 'Suppressions by reason' }) suppressedBy!: CountByDto[];
  @ApiProperty({ type: ContactsPerSubjectDto }) perCustomer!: ContactsPerSubjectDto;
  @ApiProperty({ type: ContactsPerSubjectDto, description: 'Numbers shared by several customers count once' })
  perPhone!: ContactsPerSubjectDto;
}
