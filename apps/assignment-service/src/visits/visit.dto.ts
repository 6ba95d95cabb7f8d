import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, registerDecorator } from 'class-validator';
import Decimal from 'decimal.js';
import { IsBoundedText, IsEntityId, IsTimestamp, MONTH_PERIOD } from '@crm/contracts';
import { PageQueryDto } from '../organisation/organisation.dto';

const COORDINATE = /^-?\d{1,3}(\.\d{1,6})?$/;

/** A decimal string (up to 6 decimals, about 0.1 m) within ±limit degrees. */
const IsCoordinate =
  (limit: number): PropertyDecorator =>
  (target, propertyKey) =>
    registerDecorator({
      name: 'isCoordinate',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && COORDINATE.test(value) && new Decimal(value).abs().lte(limit),
        defaultMessage: () =>
          `$property must be a decimal string between -${limit} and ${limit}, at most 6 decimals`,
      },
    });

export class RecordVisitDto {
  @ApiProperty({ description: 'A customer the calling manager covers' })
  @IsEntityId()
  customerId!: string;

  @ApiProperty({
    example: '2026-11-20T15:30:00+08:00',
    description: 'When the visit took place; not in the future',
  })
  @IsTimestamp()
  visitedAt!: string;

  @ApiProperty({ maxLength: 2000, description: 'What was discussed' })
  @IsBoundedText(2000)
  content!: string;

  @ApiProperty({ example: '30.274084', description: 'GPS latitude, decimal degrees -90..90' })
  @IsCoordinate(90)
  latitude!: string;

  @ApiProperty({ example: '120.155070', description: 'GPS longitude, decimal degrees -180..180' })
  @IsCoordinate(180)
  longitude!: string;
}

export class VisitDto {
  @ApiProperty({ format: 'uuid' })
  visitId!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty()
  managerId!: string;

  @ApiProperty({ description: "The manager's institution when the visit was recorded" })
  institutionId!: string;

  @ApiProperty()
  visitedAt!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({ example: '30.274084' })
  latitude!: string;

  @ApiProperty({ example: '120.155070' })
  longitude!: string;

  @ApiProperty()
  recordedAt!: string;
}

export class VisitPageDto {
  @ApiProperty({ type: [VisitDto] })
  items!: VisitDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class VisitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  customerId?: string;
}

export class VisitDutyQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'The month, YYYY-MM (bank time, Asia/Shanghai), e.g. 2026-11' })
  @IsString()
  @MaxLength(7)
  @Matches(MONTH_PERIOD, { message: 'month must be a month YYYY-MM' })
  month!: string;
}

export class VisitDutyShortfallDto {
  @ApiProperty()
  customerId!: string;

  @ApiProperty({ example: '8000000.00', description: "The customer's outstanding loans (CNY)" })
  loanOutstanding!: string;

  @ApiProperty()
  managerId!: string;

  @ApiProperty({ description: 'The covering institution the manager serves the customer at' })
  institutionId!: string;

  @ApiProperty({ enum: ['primary', 'secondary'] })
  role!: 'primary' | 'secondary';

  @ApiProperty()
  visits!: number;

  @ApiProperty()
  required!: number;
}

export class VisitDutyPageDto {
  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({ example: '5000000.00' })
  loanThreshold!: string;

  @ApiProperty({ example: 2 })
  requiredVisits!: number;

  @ApiProperty({
    type: [VisitDutyShortfallDto],
    description: 'Covering managers who made fewer visits than required',
  })
  items!: VisitDutyShortfallDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
