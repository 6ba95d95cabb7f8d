import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerProfileChangedPayload, EventTypes } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { AnalyticProfileService } from './analytic-profile.service';

/** analytics-service's customer profiles: the potential-tag scores the propensity rule reads, tier, stage, churn. */
@Controller()
export class AnalyticProfileConsumer {
  constructor(private readonly profiles: AnalyticProfileService) {}

  @EventPattern(EventTypes.CustomerProfileChanged)
  async onProfileChanged(
    @Payload() payload: CustomerProfileChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.profiles.profileChanged(ctx.tx, payload);
  }
}
