import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MARKETING_CHANNELS, MarketingChannel, composeDecorators } from '@crm/contracts';
import { CapPeriod, CapSubject } from './contact-policy.rule';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class FrequencyCapDto {
  @ApiProperty({ enum: Object.values(CapSubject), description: 'Whose contacts are counted' })
  @IsIn(Object.values(CapSubject))
  subject!: CapSubject;

  @ApiProperty({
    enum: MARKETING_CHANNELS,
    nullable: true,
    description: 'null: all outbound channels together (SMS, push, e-mail, calls, manager tasks)',
  })
  @ValidateIf((_, v) => v !== null)
  @IsIn(MARKETING_CHANNELS)
  channel!: MarketingChannel | null;

  @ApiProperty({ enum: Object.values(CapPeriod), description: 'Rolling period ending at the contact' })
  @IsIn(Object.values(CapPeriod))
  period!: CapPeriod;

  @ApiProperty({ minimum: 0, maximum: 1000, example: 3 })
  @IsInt()
  @Min(0)
  @Max(1000)
  max!: number;
}

export class QuietHoursDto {
  @ApiProperty({ enum: MARKETING_CHANNELS })
  @IsIn(MARKETING_CHANNELS)
  channel!: MarketingChannel;

  @ApiProperty({ example: '21:00', description: 'Bank time; a window past midnight has from > to' })
  @Matches(HH_MM, { message: '$property must be HH:mm' })
  from!: string;

  @ApiProperty({ example: '08:00' })
  @Matches(HH_MM, { message: '$property must be HH:mm' })
  to!: string;
}

const Capacity = () =>
  composeDecorators(
    ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100_000_000 }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(100_000_000),
  );

/** Contacts a channel can carry per business day. */
export class DailyCapacityDto {
  @Capacity() sms?: number;
  @Capacity() 'app-push'?: number;
  @Capacity() email?: number;
  @Capacity() 'phone-call'?: number;
  @Capacity() 'manager-task'?: number;
  @Capacity() lobby?: number;
  @Capacity() counter?: number;
  @Capacity() 'mobile-banner'?: number;
}

export class ContactPolicyDto {
  @ApiProperty({ type: [FrequencyCapDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FrequencyCapDto)
  caps!: FrequencyCapDto[];

  @ApiProperty({ type: [QuietHoursDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuietHoursDto)
  quietHours!: QuietHoursDto[];

  @ApiProperty({
    minimum: 0,
    maximum: 365,
    example: 30,
    description: 'No offer of a product declined within these days',
  })
  @IsInt()
  @Min(0)
  @Max(365)
  declineCoolingDays!: number;

  @ApiProperty({ type: DailyCapacityDto })
  @ValidateNested()
  @Type(() => DailyCapacityDto)
  dailyCapacity!: DailyCapacityDto;

  @ApiProperty({
    minimum: 0,
    maximum: 500,
    example: 30,
    description: 'Calls and tasks one manager takes per day',
  })
  @IsInt()
  @Min(0)
  @Max(500)
  managerDailyTasks!: number;
}

export class PolicyVersionDto {
  @ApiProperty({ type: ContactPolicyDto }) policy!: ContactPolicyDto;
  @ApiProperty({ nullable: true, description: 'null for the bank’s defaults, never changed' }) changedBy!:
    string | null;
  @ApiProperty({ nullable: true }) changedAt!: string | null;
}

export class InstitutionPolicyDto {
  @ApiProperty() institutionId!: string;
  @ApiProperty({ type: PolicyVersionDto, nullable: true, description: 'Its own tightening, if it has one' })
  own!: PolicyVersionDto | null;
  @ApiProperty({
    type: ContactPolicyDto,
    description: 'The bank’s policy tightened by every level down to it',
  })
  effective!: ContactPolicyDto;
}
