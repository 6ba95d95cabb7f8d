import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHURN_REASONS, IsEntityId, VALUE_TIERS } from '@crm/contracts';
import { AsOfQueryDto } from '../indicators/indicator.dto';

export class ChurnListQueryDto extends AsOfQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(600)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a cursor returned by a previous page' })
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  limit?: number;
}

export class InstitutionIdParam {
  @ApiProperty({ description: 'The institution: its whole subtree’s customers (primary institution)' })
  @IsEntityId()
  institutionId!: string;
}

export class ManagerIdParam {
  @ApiProperty({ description: 'The relationship manager: the customers they cover as primary manager' })
  @IsEntityId()
  managerId!: string;
}

export class ChurnReasonPointsDto {
  @ApiProperty({ enum: CHURN_REASONS }) reason!: string;
  @ApiProperty({ description: 'Points the reason adds to the score, up to its weight' }) points!: number;
}

export class ChurnReasonDto extends ChurnReasonPointsDto {
  @ApiProperty({
    example: 'AUM fell 93.8% in 30 days, from 815230.00 to 50123.45 CNY',
    description: 'The fact behind it, in words a manager reads (money as decimal strings)',
  })
  fact!: string;
}

/** A customer's churn score at a close of business (客户流失预警) and why. */
export class CustomerChurnDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ example: '2025-06-29' }) businessDate!: string;
  @ApiProperty({ minimum: 0, maximum: 100, description: 'The sum of the reasons’ points, at most 100' })
  score!: number;
  @ApiProperty({ description: 'Whether the score reached the bank’s warning line at that close of business' })
  warned!: boolean;
  @ApiProperty({ type: [ChurnReasonDto], description: 'In the order of the contract’s ChurnReason' })
  reasons!: ChurnReasonDto[];
}

export class ChurnWarningDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
  @ApiProperty({ type: [ChurnReasonPointsDto] }) reasons!: ChurnReasonPointsDto[];
  @ApiProperty({ enum: VALUE_TIERS, nullable: true }) valueTier!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Primary institution now' })
  primaryInstitutionId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Primary manager now' })
  primaryManagerId!: string | null;
}

export class ChurnWarningPageDto {
  @ApiProperty({ example: '2025-06-29' }) businessDate!: string;
  @ApiProperty({ type: [ChurnWarningDto], description: 'Highest score first, then by customer id' })
  items!: ChurnWarningDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}
