import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  AccountClosedPayload,
  AccountOpenedPayload,
  AccountStatusChangedPayload,
  CardIssuedPayload,
  EventTypes,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { HoldingsService } from './holdings.service';

/** corebank.account / .transaction / .loan / .card: the holdings the coverage rules read. */
@Controller()
export class HoldingsConsumer {
  constructor(private readonly holdings: HoldingsService) {}

  @EventPattern(EventTypes.AccountOpened)
  onAccountOpened(@Payload() p: AccountOpenedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountOpened(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.AccountClosed)
  onAccountClosed(@Payload() p: AccountClosedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountClosed(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.AccountStatusChanged)
  onAccountStatusChanged(@Payload() p: AccountStatusChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountStatusChanged(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.TransactionPosted)
  onTransactionPosted(@Payload() p: TransactionPostedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.transactionPosted(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.TransactionReversed)
  onTransactionReversed(@Payload() p: TransactionReversedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.transactionPosted(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.LoanDisbursed)
  onLoanDisbursed(@Payload() p: LoanDisbursedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanDisbursed(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.LoanRepaymentReceived)
  onLoanRepaid(@Payload() p: LoanRepaymentReceivedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanRepaid(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.LoanSettled)
  onLoanSettled(@Payload() p: LoanSettledPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanSettled(ctx.tx, ctx.batch, p, ctx.envelope);
  }

  @EventPattern(EventTypes.LoanOverdue)
  onLoanOverdue(@Payload() p: LoanOverduePayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanIncident(ctx.tx, ctx.batch, p, ctx.envelope, 'overdue');
  }

  @EventPattern(EventTypes.LoanInterestUnpaid)
  onLoanInterestUnpaid(@Payload() p: LoanInterestUnpaidPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanIncident(ctx.tx, ctx.batch, p, ctx.envelope, 'interest unpaid');
  }

  @EventPattern(EventTypes.CardIssued)
  onCardIssued(@Payload() p: CardIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.cardIssued(ctx.tx, ctx.batch, p, ctx.envelope);
  }
}
