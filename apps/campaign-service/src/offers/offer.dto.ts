import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsEntityId, MARKETING_CHANNELS, MarketingChannel } from '@crm/contracts';

/** Where the customer is when an offer is decided: they came themselves. */
export const INBOUND_CHANNELS = [
  MarketingChannel.Lobby,
  MarketingChannel.Counter,
  MarketingChannel.MobileBanner,
];

export const OfferResponse = { Accepted: 'accepted', Declined: 'declined', Ignored: 'ignored' } as const;
export type OfferResponse = (typeof OfferResponse)[keyof typeof OfferResponse];

export class DecisionContextDto {
  @ApiPropertyOptional({ description: 'The outlet where the customer is (lobby, counter)' })
  @IsOptional()
  @IsEntityId()
  institutionId?: string;

  @ApiPropertyOptional({ description: 'The lobby queue ticket, when there is one' })
  @IsOptional()
  @IsEntityId()
  ticketId?: string;
}

export class DecideRequestDto {
  @ApiProperty({ description: 'Core-banking customer id' })
  @IsEntityId()
  customerId!: string;

  @ApiProperty({ enum: INBOUND_CHANNELS })
  @IsIn(INBOUND_CHANNELS)
  channel!: MarketingChannel;

  @ApiPropertyOptional({ type: DecisionContextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DecisionContextDto)
  context?: DecisionContextDto;
}

export class OfferDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ type: [String], description: 'Products to present: those the customer does not hold yet' })
  productCodes!: string[];
  @ApiProperty({ description: 'The campaign’s message for the channel' }) message!: string;
  @ApiProperty({
    example: '0.8800',
    description:
      'The customer’s chance of converting on these products, 0 to 1: the score / 100 of the potential tag ' +
      'of analytics-service’s latest profile that measures their kind (wealth products: wealth-management, ' +
      'loans: loan, credit cards: credit-card), the highest among them; 0.05 where the profile says nothing',
  })
  propensity!: string;
  @ApiProperty({ example: '44000.0000', description: 'priority × propensity × conversion value' })
  score!: string;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid', description: 'Pass it back with the customer’s response' })
  decisionId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: MARKETING_CHANNELS }) channel!: string;
  @ApiProperty({ type: OfferDto, nullable: true, description: 'null: nothing to offer now' })
  offer!: OfferDto | null;
  @ApiProperty({
    nullable: true,
    description:
      'Why nothing is offered: no-campaign, or the policy’s reason (opted-out, cap:…, declined-recently…)',
  })
  reason!: string | null;
  @ApiProperty() decidedAt!: string;
}

export class OfferResponseDto {
  @ApiProperty({
    enum: Object.values(OfferResponse),
    description: 'declined holds the products off for the cooling period',
  })
  @IsIn(Object.values(OfferResponse))
  response!: OfferResponse;
}
