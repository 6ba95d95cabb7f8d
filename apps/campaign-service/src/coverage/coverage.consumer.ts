import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CoverageChangedPayload,
  EventTypes,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { CoverageProjectionRepository } from '@crm/security';

/**
 * Keeps the projections data scope and manager tasks need: coverage (crm.assignment), institutions and
 * managers (corebank.organisation). The projection is the library's, shared with alert-service.
 */
@Controller()
export class CoverageConsumer {
  constructor(private readonly coverage: CoverageProjectionRepository) {}

  @EventPattern(EventTypes.CoverageChanged)
  async onCoverageChanged(
    @Payload() payload: CoverageChangedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverage.upsertCoverage(ctx.tx, payload);
  }

  @EventPattern(EventTypes.InstitutionUpserted)
  async onInstitutionUpserted(
    @Payload() payload: InstitutionUpsertedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverage.upsertInstitution(ctx.tx, payload);
  }

  @EventPattern(EventTypes.ManagerUpserted)
  async onManagerUpserted(
    @Payload() payload: ManagerUpsertedPayload,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.coverage.upsertManager(ctx.tx, payload);
  }
}
