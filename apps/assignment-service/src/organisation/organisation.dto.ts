import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { InstitutionLevel, IsBoundedText, IsEntityId, ManagerRole, REGION_CODE } from '@crm/contracts';

export const MAX_PAGE = 200;

/** `limit` and `cursor` of every keyset-paginated list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class InstitutionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only this institution and its descendants' })
  @IsOptional()
  @IsEntityId()
  under?: string;
}

export class ManagerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only managers belonging to this institution' })
  @IsOptional()
  @IsEntityId()
  institutionId?: string;
}

export class InstitutionDto {
  @ApiProperty({ example: '800101' })
  institutionId!: string;

  @ApiProperty({ example: '西湖支行 Xihu branch' })
  name!: string;

  @ApiProperty({
    enum: Object.values(InstitutionLevel),
    description: 'head office 总行, branch 支行, outlet 网点',
  })
  level!: InstitutionLevel;

  @ApiProperty({ type: String, nullable: true, description: 'Null exactly for the head office' })
  parentId!: string | null;

  @ApiProperty({ example: '330106' })
  regionCode!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ description: '`corebank` for the core-banking feed, else the admin who corrected it' })
  updatedBy!: string;
}

export class InstitutionPageDto {
  @ApiProperty({ type: [InstitutionDto] })
  items!: InstitutionDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ManagerDto {
  @ApiProperty({ example: 'M800101001' })
  managerId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  institutionId!: string;

  @ApiProperty({ enum: Object.values(ManagerRole), isArray: true })
  roles!: ManagerRole[];

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  updatedAt!: string;

  @ApiProperty()
  updatedBy!: string;
}

export class ManagerPageDto {
  @ApiProperty({ type: [ManagerDto] })
  items!: ManagerDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

/** A head-office correction of an institution; the next core-banking update replaces it again. */
export class InstitutionCorrectionDto {
  @ApiProperty({ maxLength: 100 })
  @IsBoundedText(100)
  name!: string;

  @ApiProperty({ enum: Object.values(InstitutionLevel) })
  @IsIn(Object.values(InstitutionLevel))
  level!: InstitutionLevel;

  @ApiProperty({ type: String, nullable: true, description: 'Null exactly for the head office' })
  @ValidateIf(
    (dto: InstitutionCorrectionDto) => dto.level !== InstitutionLevel.HeadOffice || dto.parentId !== null,
  )
  @IsEntityId()
  parentId!: string | null;

  @ApiProperty({ example: '330106' })
  @IsString()
  @Matches(REGION_CODE, { message: 'regionCode must be a 6-digit region code' })
  regionCode!: string;

  @ApiProperty()
  @IsBoolean()
  active!: boolean;

  @ApiProperty({ description: 'Why the correction is made (kept in the audit log)', maxLength: 500 })
  @IsBoundedText(500)
  reason!: string;
}

export class ManagerCorrectionDto {
  @ApiProperty({ maxLength: 100 })
  @IsBoundedText(100)
  name!: string;

  @ApiProperty()
  @IsEntityId()
  institutionId!: string;

  @ApiProperty({ enum: Object.values(ManagerRole), isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(Object.values(ManagerRole), { each: true })
  roles!: ManagerRole[];

  @ApiProperty()
  @IsBoolean()
  active!: boolean;

  @ApiProperty({ maxLength: 500 })
  @IsBoundedText(500)
  reason!: string;
}
