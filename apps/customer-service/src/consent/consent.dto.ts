import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSENT_CHANNELS, ConsentChannel, ConsentSource, ConsentStatus } from '@crm/contracts';

const CONSENT_STATUSES = Object.values(ConsentStatus);
const CONSENT_SOURCES = Object.values(ConsentSource);

export class SetConsentDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES)
  status!: ConsentStatus;

  @ApiProperty({ enum: CONSENT_SOURCES, description: 'Where the customer expressed the choice' })
  @IsIn(CONSENT_SOURCES)
  source!: ConsentSource;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class ConsentDto {
  @ApiProperty({ enum: CONSENT_CHANNELS }) channel!: ConsentChannel;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: ConsentStatus;
  @ApiProperty() changedAt!: string;
  @ApiProperty({ description: 'User id of whoever recorded it' }) changedBy!: string;
  @ApiProperty({ enum: CONSENT_SOURCES }) source!: ConsentSource;
}

export class ConsentHistoryEntryDto extends ConsentDto {
  @ApiProperty({ nullable: true }) note!: string | null;
}
