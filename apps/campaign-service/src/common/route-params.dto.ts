import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { IsEntityId } from '@crm/contracts';

/** `CMP-` and 12 upper-case letters or digits, made by the service. */
export const CAMPAIGN_ID = /^CMP-[0-9A-Z]{12}$/;

export class CampaignIdParam {
  @ApiProperty({ description: 'Campaign id, e.g. CMP-8K2M4Q7T1ZB9' })
  @Matches(CAMPAIGN_ID, { message: '$property must be a campaign id (CMP- and 12 letters or digits)' })
  campaignId!: string;
}

export class CustomerIdParam {
  @ApiProperty({ description: 'Core-banking customer id' })
  @IsEntityId()
  customerId!: string;
}

export class TaskIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  taskId!: string;
}

export class DecisionIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  decisionId!: string;
}
