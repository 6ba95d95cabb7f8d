import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  AccountOpenedPayload,
  CardIssuedPayload,
  ConsentChangedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  EventTypes,
  LoanDisbursedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { HoldingKind } from './customer-facts.repository';
import { CustomerFactsService } from './customer-facts.service';

/** Consent, contact points and products held: what the contact policy and the evaluation need to know. */
@Controller()
export class CustomerFactsConsumer {
  constructor(private readonly facts: CustomerFactsService) {}

  @EventPattern(EventTypes.ConsentChanged)
  async onConsentChanged(@Payload() payload: ConsentChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.consentChanged(ctx.tx, payload);
  }

  @EventPattern(EventTypes.CustomerRegistered)
  async onCustomerRegistered(
    @Payload() payload: CustomerRegisteredPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.profileChanged(ctx.tx, payload, ctx.envelope.time);
  }

  @EventPattern(EventTypes.CustomerUpdated)
  async onCustomerUpdated(
    @Payload() payload: CustomerUpdatedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.profileChanged(ctx.tx, payload, ctx.envelope.time);
  }

  @EventPattern(EventTypes.AccountOpened)
  async onAccountOpened(@Payload() payload: AccountOpenedPayload, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.productOpened(ctx.tx, ctx.envelope, payload);
  }

  @EventPattern(EventTypes.LoanDisbursed)
  async onLoanDisbursed(@Payload() payload: LoanDisbursedPayload, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.productOpened(ctx.tx, ctx.envelope, {
      ...payload,
      openedOn: payload.disbursedOn,
      kind: HoldingKind.Loan,
    });
  }

  @EventPattern(EventTypes.CardIssued)
  async onCardIssued(@Payload() payload: CardIssuedPayload, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.productOpened(ctx.tx, ctx.envelope, {
      ...payload,
      openedOn: payload.issuedOn,
      kind: HoldingKind.Card,
    });
  }
}
