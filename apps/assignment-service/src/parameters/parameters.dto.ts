import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsBoundedText, IsDecimalAmount } from '@crm/contracts';

export class BankParametersDto {
  @ApiProperty({
    example: '1000000.00',
    description: 'Key customer 重点客户: total deposits strictly above this (CNY)',
  })
  @IsDecimalAmount({ nonNegative: true })
  keyCustomerAssetThreshold!: string;

  @ApiProperty({
    example: '5000000.00',
    description: 'Key customer: total outstanding loans strictly above this (CNY)',
  })
  @IsDecimalAmount({ nonNegative: true })
  keyCustomerLoanThreshold!: string;

  @ApiProperty({
    example: 3,
    minimum: 1,
    maximum: 30,
    description: 'Key customer by loans: years with no overdue and no unpaid interest',
  })
  @IsInt()
  @Min(1)
  @Max(30)
  keyCustomerCleanYears!: number;

  @ApiProperty({
    example: '5000000.00',
    description: 'Visit duty: customers whose outstanding loans are strictly above this (CNY)',
  })
  @IsDecimalAmount({ nonNegative: true })
  visitDutyLoanThreshold!: string;

  @ApiProperty({
    example: 2,
    minimum: 1,
    maximum: 31,
    description: 'Visit duty: visits each covering manager owes per month',
  })
  @IsInt()
  @Min(1)
  @Max(31)
  visitDutyMinVisitsPerMonth!: number;
}

export class UpdateBankParametersDto extends BankParametersDto {
  @ApiProperty({
    maxLength: 500,
    description: 'Why the parameters change (kept in the history and audit log)',
  })
  @IsBoundedText(500)
  reason!: string;
}

export class BankParametersVersionDto extends BankParametersDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  updatedAt!: string;

  @ApiProperty()
  updatedBy!: string;

  @ApiProperty()
  reason!: string;
}

export class BankParametersPageDto {
  @ApiProperty({ type: [BankParametersVersionDto] })
  items!: BankParametersVersionDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
