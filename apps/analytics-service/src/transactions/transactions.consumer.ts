import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CardSpendPostedPayload,
  EventTypes,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { TransactionsService } from './transactions.service';

/** Deposit entries and card spends into the transaction facts: one line per event type. */
@Controller()
export class TransactionsConsumer {
  constructor(private readonly transactions: TransactionsService) {}

  @EventPattern(EventTypes.TransactionPosted)
  onTransactionPosted(@Payload() p: TransactionPostedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.transactions.posted(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.TransactionReversed)
  onTransactionReversed(@Payload() p: TransactionReversedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.transactions.reversed(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CardSpendPosted)
  onCardSpendPosted(@Payload() p: CardSpendPostedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.transactions.cardSpendPosted(ctx.tx, ctx.batch, p);
  }
}
