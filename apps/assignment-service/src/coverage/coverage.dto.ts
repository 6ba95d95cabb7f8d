import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CoverageBasis, CoverageReason, IsBoundedText, IsEntityId } from '@crm/contracts';
import { PageQueryDto } from '../organisation/organisation.dto';

export class CustomerIdParamDto {
  @ApiProperty({ maxLength: 64 })
  @IsEntityId()
  customerId!: string;
}

export class CustomerInstitutionParamDto extends CustomerIdParamDto {
  @ApiProperty({ maxLength: 64 })
  @IsEntityId()
  institutionId!: string;
}

export class CoveringInstitutionDto {
  @ApiProperty()
  institutionId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The manager at this institution; null while none is',
  })
  managerId!: string | null;

  @ApiProperty({
    enum: Object.values(CoverageReason),
    description: 'Which rule makes the institution cover the customer (loan 贷款, card 贷记卡, deposit 存款)',
  })
  reason!: CoverageReason;

  @ApiProperty({
    enum: Object.values(CoverageBasis),
    description: '`manual` when a head assigned the manager (a pin), `automatic` when the rules chose',
  })
  basis!: CoverageBasis;
}

/** A customer's whole coverage, as CoverageChanged carries it. */
export class CoverageDto {
  @ApiProperty()
  customerId!: string;

  @ApiProperty({ description: 'Grows by one with every change of this customer' })
  version!: number;

  @ApiProperty({ type: CoveringInstitutionDto, nullable: true, description: 'Primary institution 主办机构' })
  primary!: CoveringInstitutionDto | null;

  @ApiProperty({ type: [CoveringInstitutionDto], description: 'Secondary institutions 协办机构' })
  secondary!: CoveringInstitutionDto[];

  @ApiProperty({ description: 'Key customer 重点客户' })
  keyCustomer!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Private banker 私人客户经理' })
  privateBankerId!: string | null;

  @ApiProperty()
  changedAt!: string;

  @ApiProperty({ description: '`system` for the rules, else the user id' })
  changedBy!: string;

  @ApiProperty({ description: 'Why it changed' })
  note!: string;
}

export class CoveragePageDto {
  @ApiProperty({ type: [CoverageDto] })
  items!: CoverageDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class CoverageHistoryEntryDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  changedAt!: string;

  @ApiProperty()
  changedBy!: string;

  @ApiProperty({ enum: ['system', 'user'] })
  actorKind!: 'system' | 'user';

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: CoverageDto })
  coverage!: CoverageDto;
}

export class CoverageHistoryPageDto {
  @ApiProperty({ type: [CoverageHistoryEntryDto] })
  items!: CoverageHistoryEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class InstitutionCustomersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Include customers covered by institutions under this one (false when absent)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  subtree?: boolean;
}

export class AssignManagerDto {
  @ApiProperty({
    description: 'An active relationship manager or private banker of the institution or one under it',
  })
  @IsEntityId()
  managerId!: string;

  @ApiProperty({ maxLength: 200 })
  @IsBoundedText(200)
  reason!: string;
}

export class AssignPrivateBankerDto {
  @ApiProperty({ description: 'An active manager with the private-banker role' })
  @IsEntityId()
  managerId!: string;

  @ApiProperty({ maxLength: 200 })
  @IsBoundedText(200)
  reason!: string;
}

export class ReasonQueryDto {
  @ApiProperty({ maxLength: 200, description: 'Why (kept in the coverage history)' })
  @IsBoundedText(200)
  reason!: string;
}
