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
  CoverageChangedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  EventTypes,
  InstitutionUpsertedPayload,
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
import { Public } from '@crm/security';
import { ProjectionService } from './projection.service';

const at = (ctx: EventContext) => new Date(ctx.envelope.time);

/**
 * Core banking, organisation and coverage events into the projection. Public: HTTP authentication
 * does not apply to Kafka deliveries (the broker is the trust boundary).
 */
@Public()
@Controller()
export class ProjectionConsumer {
  constructor(private readonly projection: ProjectionService) {}

  @EventPattern(EventTypes.InstitutionUpserted)
  onInstitution(@Payload() p: InstitutionUpsertedPayload, @Ctx() ctx: EventContext) {
    return this.projection.upsertInstitution(ctx.tx, p, at(ctx));
  }

  @EventPattern(EventTypes.CustomerRegistered)
  onCustomerRegistered(@Payload() p: CustomerRegisteredPayload, @Ctx() ctx: EventContext) {
    return this.onProfile(p, ctx);
  }

  @EventPattern(EventTypes.CustomerUpdated)
  onCustomerUpdated(@Payload() p: CustomerUpdatedPayload, @Ctx() ctx: EventContext) {
    return this.onProfile(p, ctx);
  }

  private onProfile(p: CustomerRegisteredPayload | CustomerUpdatedPayload, ctx: EventContext) {
    return this.projection.customerProfile(ctx.tx, p, at(ctx));
  }

  @EventPattern(EventTypes.AccountOpened)
  onAccountOpened(@Payload() p: AccountOpenedPayload, @Ctx() ctx: EventContext) {
    return this.projection.accountOpened(ctx.tx, ctx.batch, p, at(ctx));
  }

  @EventPattern(EventTypes.AccountClosed)
  onAccountClosed(@Payload() p: AccountClosedPayload, @Ctx() ctx: EventContext) {
    return this.projection.accountClosed(ctx.tx, ctx.batch, p, at(ctx));
  }

  @EventPattern(EventTypes.AccountStatusChanged)
  onAccountStatus(@Payload() p: AccountStatusChangedPayload, @Ctx() ctx: EventContext) {
    return this.projection.accountStatusChanged(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.AccountMaturityChanged)
  onAccountMaturity(@Payload() p: AccountMaturityChangedPayload, @Ctx() ctx: EventContext) {
    return this.projection.accountMaturityChanged(ctx.tx, p);
  }

  @EventPattern(EventTypes.TransactionPosted)
  onTransactionPosted(@Payload() p: TransactionPostedPayload, @Ctx() ctx: EventContext) {
    return this.projection.transactionPosted(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.TransactionReversed)
  onTransactionReversed(@Payload() p: TransactionReversedPayload, @Ctx() ctx: EventContext) {
    return this.projection.transactionReversed(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanDisbursed)
  onLoanDisbursed(@Payload() p: LoanDisbursedPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanDisbursed(ctx.tx, ctx.batch, p, at(ctx));
  }

  @EventPattern(EventTypes.LoanScheduleChanged)
  onLoanSchedule(@Payload() p: LoanScheduleChangedPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanScheduleChanged(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanRepaymentReceived)
  onLoanRepayment(@Payload() p: LoanRepaymentReceivedPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanRepaid(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanInterestUnpaid)
  onLoanInterestUnpaid(@Payload() p: LoanInterestUnpaidPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanInterestUnpaid(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanOverdue)
  onLoanOverdue(@Payload() p: LoanOverduePayload, @Ctx() ctx: EventContext) {
    return this.projection.loanOverdue(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanClassificationChanged)
  onLoanClassification(@Payload() p: LoanClassificationChangedPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanClassificationChanged(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.LoanSettled)
  onLoanSettled(@Payload() p: LoanSettledPayload, @Ctx() ctx: EventContext) {
    return this.projection.loanSettled(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CardIssued)
  onCardIssued(@Payload() p: CardIssuedPayload, @Ctx() ctx: EventContext) {
    return this.projection.cardIssued(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CardStatementIssued)
  onCardStatement(@Payload() p: CardStatementIssuedPayload, @Ctx() ctx: EventContext) {
    return this.projection.cardStatementIssued(ctx.tx, ctx.batch, p, at(ctx));
  }

  @EventPattern(EventTypes.CardPaymentReceived)
  onCardPayment(@Payload() p: CardPaymentReceivedPayload, @Ctx() ctx: EventContext) {
    return this.projection.cardPaymentReceived(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CardSpendPosted)
  onCardSpend(@Payload() p: CardSpendPostedPayload, @Ctx() ctx: EventContext) {
    return this.projection.cardSpendPosted(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CardOverdue)
  onCardOverdue(@Payload() p: CardOverduePayload, @Ctx() ctx: EventContext) {
    return this.projection.cardOverdue(ctx.tx, ctx.batch, p);
  }

  @EventPattern(EventTypes.CoverageChanged)
  onCoverage(@Payload() p: CoverageChangedPayload, @Ctx() ctx: EventContext) {
    return this.projection.applyCoverage(ctx.tx, p);
  }
}
