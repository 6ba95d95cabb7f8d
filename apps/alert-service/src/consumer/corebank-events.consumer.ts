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
  CardSpendPostedPayload,
  CardStatementIssuedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  EventTypes,
  LoanClassificationChangedPayload,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanScheduleChangedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { AlertEngine, type Handling } from '../engine/alert-engine.service';

const handling = (ctx: EventContext): Handling => ({ tx: ctx.tx, envelope: ctx.envelope, batch: ctx.batch });

/** The core-banking stream into the alert rules: one line per event type. */
@Controller()
export class CorebankEventsConsumer {
  constructor(private readonly engine: AlertEngine) {}

  @EventPattern(EventTypes.TransactionPosted)
  onTransactionPosted(@Payload() p: TransactionPostedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.transactionPosted(handling(ctx), p);
  }

  @EventPattern(EventTypes.TransactionReversed)
  onTransactionReversed(@Payload() p: TransactionReversedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.transactionReversed(handling(ctx), p);
  }

  @EventPattern(EventTypes.AccountOpened)
  onAccountOpened(@Payload() p: AccountOpenedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.accountOpened(handling(ctx), p);
  }

  @EventPattern(EventTypes.AccountMaturityChanged)
  onAccountMaturityChanged(
    @Payload() p: AccountMaturityChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.engine.accountMaturityChanged(handling(ctx), p);
  }

  @EventPattern(EventTypes.AccountClosed)
  onAccountClosed(@Payload() p: AccountClosedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.accountClosed(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanDisbursed)
  onLoanDisbursed(@Payload() p: LoanDisbursedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.loanDisbursed(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanScheduleChanged)
  onLoanScheduleChanged(@Payload() p: LoanScheduleChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.loanScheduleChanged(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanSettled)
  onLoanSettled(@Payload() p: LoanSettledPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.loanSettled(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanInterestUnpaid)
  onLoanInterestUnpaid(@Payload() p: LoanInterestUnpaidPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.loanInterestUnpaid(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanOverdue)
  onLoanOverdue(@Payload() p: LoanOverduePayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.loanOverdue(handling(ctx), p);
  }

  @EventPattern(EventTypes.LoanClassificationChanged)
  onLoanClassificationChanged(
    @Payload() p: LoanClassificationChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.engine.loanClassificationChanged(handling(ctx), p);
  }

  @EventPattern(EventTypes.CardStatementIssued)
  onCardStatementIssued(@Payload() p: CardStatementIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.cardStatementIssued(handling(ctx), p);
  }

  @EventPattern(EventTypes.CardSpendPosted)
  onCardSpendPosted(@Payload() p: CardSpendPostedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.cardSpendPosted(handling(ctx), p);
  }

  @EventPattern(EventTypes.CardOverdue)
  onCardOverdue(@Payload() p: CardOverduePayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.cardOverdue(handling(ctx), p);
  }

  // Events no rule keys on still move the customer's event clock, which raises reminders now due.

  @EventPattern(EventTypes.CustomerRegistered)
  onCustomerRegistered(@Payload() p: CustomerRegisteredPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }

  @EventPattern(EventTypes.CustomerUpdated)
  onCustomerUpdated(@Payload() p: CustomerUpdatedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }

  @EventPattern(EventTypes.AccountStatusChanged)
  onAccountStatusChanged(@Payload() p: AccountStatusChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }

  @EventPattern(EventTypes.LoanRepaymentReceived)
  onLoanRepaymentReceived(
    @Payload() p: LoanRepaymentReceivedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }

  @EventPattern(EventTypes.CardIssued)
  onCardIssued(@Payload() p: CardIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }

  @EventPattern(EventTypes.CardPaymentReceived)
  onCardPaymentReceived(@Payload() p: CardPaymentReceivedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.engine.customerEvent(handling(ctx), p.customerId);
  }
}
