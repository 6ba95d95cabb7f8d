import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerProfileChangedPayload, EventTypes } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { Public } from '@crm/security';
import { AnalyticProfileService } from './analytic-profile.service';

/** analytics-service's customer profiles (crm.analytics.profile). Public: Kafka deliveries carry no HTTP token. */
@Public()
@Controller()
export class AnalyticProfileConsumer {
  constructor(private readonly profiles: AnalyticProfileService) {}

  @EventPattern(EventTypes.CustomerProfileChanged)
  onProfileChanged(@Payload() p: CustomerProfileChangedPayload, @Ctx() ctx: EventContext) {
    return this.profiles.profileChanged(ctx.tx, p);
  }
}
