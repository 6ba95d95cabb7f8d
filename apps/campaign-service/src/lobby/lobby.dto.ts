import { ApiProperty } from '@nestjs/swagger';
import { LIFECYCLE_STAGES, LobbyService, VALUE_TIERS } from '@crm/contracts';
import { HoldingKind } from '../customers/customer-facts.repository';
import { OfferDto } from '../offers/offer.dto';

export class HoldingsDto {
  @ApiProperty({ type: [String], description: 'Products the customer holds, oldest first' })
  productCodes!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: `Products held per kind (${Object.values(HoldingKind).join(', ')})`,
    example: { current: 1, 'time-deposit': 2, card: 1 },
  })
  byKind!: Partial<Record<HoldingKind, number>>;
}

/** Who the customer is to the bank, by analytics-service's latest profile (crm.analytics.profile). */
export class LobbyCustomerProfileDto {
  @ApiProperty({ example: '2026-03-02', description: 'The close of business the profile was computed at' })
  asOf!: string;
  @ApiProperty({ nullable: true, enum: VALUE_TIERS, description: 'Value tier (顶级, 重要, 核心, 大众)' })
  valueTier!: string | null;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage!: string;
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description: 'Churn warning score (流失预警), 100: about to leave',
  })
  churnScore!: number;
}

/**
 * A lobby card: who is waiting, what they hold, what to offer. The offers are a preview: nothing is
 * counted or recorded until the lobby manager presents one with POST /offers/decide.
 */
export class LobbyCardDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ description: 'The outlet' }) institutionId!: string;
  @ApiProperty({ description: 'The outlet’s lobby day the ticket belongs to (bank time zone)' })
  businessDate!: string;
  @ApiProperty({ description: 'As printed on the ticket, e.g. V017' }) ticketNumber!: string;
  @ApiProperty({ enum: Object.values(LobbyService) }) service!: string;
  @ApiProperty({ description: 'Tickets ahead of this one when it was issued' }) waitingAhead!: number;
  @ApiProperty() issuedAt!: string;
  @ApiProperty({ nullable: true, description: 'null: a walk-in who took the ticket without card or ID' })
  customerId!: string | null;
  @ApiProperty({ type: HoldingsDto, nullable: true, description: 'null for a walk-in' })
  holdings!: HoldingsDto | null;
  @ApiProperty({
    type: LobbyCustomerProfileDto,
    nullable: true,
    description: 'null for a walk-in, or before analytics-service profiles the customer',
  })
  profile!: LobbyCustomerProfileDto | null;
  @ApiProperty({
    type: [OfferDto],
    description:
      'Best first (what decide would present), at most three; empty when there is nothing to offer',
  })
  offers!: OfferDto[];
  @ApiProperty({
    nullable: true,
    description:
      'Why nothing is offered: walk-in, no-campaign, or the policy’s reason (opted-out, declined-recently…)',
  })
  reason!: string | null;
}

export class LobbyQueueDto {
  @ApiProperty({
    type: [LobbyCardDto],
    description: 'The tickets of the caller’s outlets on their current lobby day, newest first',
  })
  tickets!: LobbyCardDto[];

  @ApiProperty({ description: 'More tickets were issued than listed: the oldest are left out' })
  truncated!: boolean;
}
