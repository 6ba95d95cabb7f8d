import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, registerDecorator } from 'class-validator';
import {
  CustomerKind,
  Gender,
  IsCalendarDate,
  IsChineseMobile,
  IsEntityId,
  IsRegionCode,
  isChineseResidentId,
  isUnifiedSocialCreditCode,
} from '@crm/contracts';

/** A resident ID for an individual, a unified social credit code for a company (a prospect being edited may omit kind). */
const IsIdNumberOfKind = (): PropertyDecorator => (target, propertyKey) =>
  registerDecorator({
    name: 'isIdNumberOfKind',
    target: target.constructor,
    propertyName: propertyKey as string,
    validator: {
      validate: (value: unknown, args) => {
        const kind = (args?.object as { kind?: string }).kind;
        if (kind === CustomerKind.Corporate) return isUnifiedSocialCreditCode(value);
        if (kind === CustomerKind.Individual) return isChineseResidentId(value);
        return isChineseResidentId(value) || isUnifiedSocialCreditCode(value);
      },
      defaultMessage: () =>
        '$property must be a valid resident ID number (individual) or unified social credit code (corporate)',
    },
  });

/** A potential customer (潜在客户) a manager records before core banking knows them. */
export class CreateProspectDto {
  @ApiProperty({ enum: Object.values(CustomerKind) })
  @IsIn(Object.values(CustomerKind))
  kind!: CustomerKind;

  @ApiProperty({ example: '李四', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: Object.values(Gender) })
  @IsOptional()
  @IsIn(Object.values(Gender))
  gender?: Gender;

  @ApiPropertyOptional({ example: '1985-04-12', description: 'Needs pii:write' })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ example: '330106' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({
    description:
      'Resident ID number (individual) or unified social credit code (corporate); stored encrypted. Needs pii:write',
  })
  @IsOptional()
  @IsIdNumberOfKind()
  idNumber?: string;

  @ApiPropertyOptional({
    example: '13800001111',
    description: 'Mainland mobile number; stored encrypted. Needs pii:write',
  })
  @IsOptional()
  @IsChineseMobile()
  phone?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class UpdateProspectDto extends PartialType(OmitType(CreateProspectDto, ['kind'] as const)) {}

export class MatchProspectDto {
  @ApiProperty({ description: 'The core-banking customer this prospect turned out to be' })
  @IsEntityId()
  customerId!: string;
}

export class ProspectMatchDto {
  @ApiProperty() customerId!: string;
  @ApiProperty() matchedAt!: string;
  @ApiProperty({ enum: ['id-number-hash', 'manual'] }) method!: string;
  @ApiProperty({ nullable: true, description: 'User id for a manual match; null when matched automatically' })
  matchedBy!: string | null;
}

export class ProspectDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: Object.values(CustomerKind) }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true }) gender!: string | null;
  @ApiProperty({ nullable: true, description: 'The year only (1985-**-**) unless the caller holds pii:read' })
  birthDate!: string | null;
  @ApiProperty({ nullable: true }) regionCode!: string | null;
  @ApiProperty({ nullable: true, description: 'Masked unless the caller holds pii:read' }) idNumber!:
    string | null;
  @ApiProperty({ nullable: true, description: 'Masked unless the caller holds pii:read' }) phone!:
    string | null;
  @ApiProperty({ nullable: true }) note!: string | null;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true }) managerId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: ProspectMatchDto }) match!: ProspectMatchDto | null;
}
