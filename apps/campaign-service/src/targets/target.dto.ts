import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString } from 'class-validator';

/** Most ids one upload may carry; a larger list is sent in several uploads (each is idempotent). */
export const MAX_UPLOAD_IDS = 100_000;
/** Rejected entries listed in the answer; the count covers them all. */
export const MAX_REPORTED_REJECTIONS = 1_000;

export class TargetUploadDto {
  @ApiProperty({
    type: [String],
    example: ['C100000000001', 'C100000000002'],
    description: `Core-banking customer ids, at most ${MAX_UPLOAD_IDS}; entries that cannot be targeted are reported, the rest added`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_UPLOAD_IDS)
  @IsString({ each: true })
  customerIds!: string[];
}

export const RejectionReason = {
  NotAnId: 'not-a-customer-id',
  Duplicate: 'duplicate-in-upload',
  OutsideOwnerScope: 'not-covered-by-owner-institution',
} as const;
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

export class RejectedTargetDto {
  @ApiProperty({ description: 'Position in customerIds, from 0' }) index!: number;
  @ApiProperty({ enum: Object.values(RejectionReason) }) reason!: RejectionReason;
}

export class TargetUploadResultDto {
  @ApiProperty({ description: 'Added to the list now' }) added!: number;
  @ApiProperty({ description: 'Already on the list before this upload' }) alreadyListed!: number;
  @ApiProperty({ description: 'Of the listed ids: held back as the control group' }) control!: number;
  @ApiProperty() rejectedCount!: number;
  @ApiProperty({
    type: [RejectedTargetDto],
    description: `The first ${MAX_REPORTED_REJECTIONS} rejected entries`,
  })
  rejected!: RejectedTargetDto[];
}
