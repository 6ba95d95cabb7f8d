import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertRaisedPayload, EventTypes } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { WebhookService } from './webhook.service';

/** alert-service reads its own crm.alert: each alert raised becomes the webhook deliveries it owes, once. */
@Controller()
export class AlertRaisedConsumer {
  constructor(private readonly webhooks: WebhookService) {}

  @EventPattern(EventTypes.AlertRaised)
  onAlertRaised(@Payload() payload: AlertRaisedPayload, @Ctx() ctx: EventContext): void {
    this.webhooks.alertRaised(ctx.tx, ctx.batch, payload);
  }
}
