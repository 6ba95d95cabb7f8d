import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CONSENT_CHANNELS, ConsentChannel, IsEntityId } from '@crm/contracts';
import { TAG_NAME } from '../tags/tag.dto';

export class CustomerIdParam {
  @ApiProperty({ description: 'Core-banking customer id' })
  @IsEntityId()
  customerId!: string;
}

export class ConsentParams extends CustomerIdParam {
  @ApiProperty({ enum: CONSENT_CHANNELS })
  @IsIn(CONSENT_CHANNELS)
  channel!: ConsentChannel;
}

export class TagParams extends CustomerIdParam {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  @Matches(TAG_NAME, {
    message: '$property must be lower-case letters, digits, hyphens or Chinese characters',
  })
  tag!: string;
}

export class ProspectIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  prospectId!: string;
}
