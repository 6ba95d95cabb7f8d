import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBoundedText } from '@crm/contracts';

/** Why the bank contacts a customer for no campaign at all. */
export const DoNotContactReason = {
  Complaint: 'complaint',
  Deceased: 'deceased',
  LegalHold: 'legal-hold',
  CustomerRequest: 'customer-request',
} as const;
export type DoNotContactReason = (typeof DoNotContactReason)[keyof typeof DoNotContactReason];

export class DoNotContactDto {
  @ApiProperty({ enum: Object.values(DoNotContactReason) })
  @IsIn(Object.values(DoNotContactReason))
  reason!: DoNotContactReason;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsBoundedText(500)
  note?: string;
}
