import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CoverageChangedPayload,
  EventTypes,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { CoverageChangeService } from './coverage-change.service';

/** Keeps the projections routing and data scope need: coverage, institutions and their heads. */
@Controller()
export class CoverageConsumer {
  constructor(private readonly coverageChanges: CoverageChangeService) {}

  @EventPattern(EventTypes.CoverageChanged)
  async onCoverageChanged(
    @Payload() payload: CoverageChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverageChanges.apply(ctx.tx, payload);
  }

  @EventPattern(EventTypes.InstitutionUpserted)
  async onInstitutionUpserted(
    @Payload() payload: InstitutionUpsertedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverageChanges.institutionUpserted(ctx.tx, payload);
  }

  @EventPattern(EventTypes.ManagerUpserted)
  async onManagerUpserted(
    @Payload() payload: ManagerUpsertedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverageChanges.managerUpserted(ctx.tx, payload);
  }
}
