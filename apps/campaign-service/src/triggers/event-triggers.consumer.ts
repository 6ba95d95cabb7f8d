import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertRaisedPayload, EventTypes } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { EventTriggersService } from './event-triggers.service';

/** Alerts (crm.alert) that event-triggered campaigns listen for. */
@Controller()
export class EventTriggersConsumer {
  constructor(private readonly triggers: EventTriggersService) {}

  @EventPattern(EventTypes.AlertRaised)
  async onAlertRaised(@Payload() payload: AlertRaisedPayload, @Ctx() ctx: EventContext): Promise<void> {
    await this.triggers.alertRaised(ctx.tx, payload);
  }
}
