import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  AccountClosedPayload,
  AccountMaturityChangedPayload,
  AccountOpenedPayload,
  AccountStatusChangedPayload,
  CardIssuedPayload,
  CardOverduePayload,
  CardPaymentReceivedPayload,
  CardStatementIssuedPayload,
  EventTypes,
  LoanClassificationChangedPayload,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanScheduleChangedPayload,
  LoanSettledPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { HoldingsService } from './holdings.service';

/** Account, loan and card lifecycles into the holdings and their daily balances: one line per event type. */
@Controller()
export class HoldingsConsumer {
  constructor(private readonly holdings: HoldingsService) {}

  @EventPattern(EventTypes.AccountOpened)
  onAccountOpened(@Payload() p: AccountOpenedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountOpened(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.AccountClosed)
  onAccountClosed(@Payload() p: AccountClosedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountClosed(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.AccountStatusChanged)
  onAccountStatusChanged(@Payload() p: AccountStatusChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.accountStatusChanged(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.AccountMaturityChanged)
  onAccountMaturityChanged(
    @Payload() p: AccountMaturityChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.holdings.accountMaturityChanged(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanDisbursed)
  onLoanDisbursed(@Payload() p: LoanDisbursedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanDisbursed(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanScheduleChanged)
  onLoanScheduleChanged(@Payload() p: LoanScheduleChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanScheduleChanged(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanRepaymentReceived)
  onLoanRepaymentReceived(
    @Payload() p: LoanRepaymentReceivedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.holdings.loanRepaid(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanInterestUnpaid)
  onLoanInterestUnpaid(@Payload() p: LoanInterestUnpaidPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanInterestUnpaid(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanOverdue)
  onLoanOverdue(@Payload() p: LoanOverduePayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanOverdue(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanClassificationChanged)
  onLoanClassificationChanged(
    @Payload() p: LoanClassificationChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.holdings.loanClassificationChanged(ctx.tx, p);
  }

  @EventPattern(EventTypes.LoanSettled)
  onLoanSettled(@Payload() p: LoanSettledPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.loanSettled(ctx.tx, p);
  }

  @EventPattern(EventTypes.CardIssued)
  onCardIssued(@Payload() p: CardIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.cardIssued(ctx.tx, p);
  }

  @EventPattern(EventTypes.CardStatementIssued)
  onCardStatementIssued(@Payload() p: CardStatementIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.cardStatementIssued(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.CardPaymentReceived)
  onCardPaymentReceived(@Payload() p: CardPaymentReceivedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.cardPaymentReceived(ctx.tx, p);
  }

  @EventPattern(EventTypes.CardOverdue)
  onCardOverdue(@Payload() p: CardOverduePayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.holdings.cardOverdue(ctx.tx, p);
  }
}
