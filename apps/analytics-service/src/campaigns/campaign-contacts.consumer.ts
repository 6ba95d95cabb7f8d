import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ContactRequestedPayload, EventTypes } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { CampaignContactsService } from './campaign-contacts.service';

/** The contacts campaign-service asked for, which league tables count. */
@Controller()
export class CampaignContactsConsumer {
  constructor(private readonly contacts: CampaignContactsService) {}

  @EventPattern(EventTypes.ContactRequested)
  onContactRequested(@Payload() p: ContactRequestedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.contacts.requested(ctx.tx, p);
  }
}
