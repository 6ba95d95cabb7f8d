import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, QueueTicketIssuedPayload } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { LobbyService } from './lobby.service';

/** The outlets' queueing machines (lobby.queue). */
@Controller()
export class LobbyConsumer {
  constructor(private readonly lobby: LobbyService) {}

  @EventPattern(EventTypes.QueueTicketIssued)
  async onQueueTicketIssued(
    @Payload() payload: QueueTicketIssuedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.lobby.ticketIssued(ctx.tx, payload);
  }
}
