import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const CONSENT_CHANNELS = ['sms', 'phone', 'app-push', 'email'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['opted-in', 'opted-out'] as const;
/** Where the customer expressed the choice. */
export const CONSENT_SOURCES = [
  'branch',
  'phone-call',
  'mobile-app',
  'sms-reply',
  'online-banking',
  'system',
] as const;

export class SetConsentDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES)
  status!: (typeof CONSENT_STATUSES)[number];

  @ApiProperty({ enum: CONSENT_SOURCES, description: 'Where the customer expressed the choice' })
  @IsIn(CONSENT_SOURCES)
  source!: (typeof CONSENT_SOURCES)[number];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class ConsentHistoryEntryDto {
  @ApiProperty({ enum: CONSENT_CHANNELS }) channel!: string;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: string;
  @ApiProperty() changedAt!: string;
  @ApiProperty({ description: 'User id of whoever recorded it' }) changedBy!: string;
  @ApiProperty({ enum: CONSENT_SOURCES }) source!: string;
  @ApiProperty({ nullable: true }) note!: string | null;
}
