import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CoverageChangedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  EventTypes,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { DimensionsService } from './dimensions.service';

/** Customers, the organisation and coverage into the warehouse's dimensions: one line per event type. */
@Controller()
export class DimensionsConsumer {
  constructor(private readonly dimensions: DimensionsService) {}

  @EventPattern(EventTypes.CustomerRegistered)
  onCustomerRegistered(@Payload() p: CustomerRegisteredPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.dimensions.customerRegistered(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.CustomerUpdated)
  onCustomerUpdated(@Payload() p: CustomerUpdatedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.dimensions.customerUpdated(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.InstitutionUpserted)
  onInstitutionUpserted(@Payload() p: InstitutionUpsertedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.dimensions.institutionUpserted(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.ManagerUpserted)
  onManagerUpserted(@Payload() p: ManagerUpsertedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.dimensions.managerUpserted(ctx.tx, p, ctx.envelope.time);
  }

  @EventPattern(EventTypes.CoverageChanged)
  onCoverageChanged(@Payload() p: CoverageChangedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.dimensions.coverageChanged(ctx.tx, p);
  }
}
