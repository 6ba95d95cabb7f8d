import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, InstitutionUpsertedPayload, ManagerUpsertedPayload } from '@crm/contracts';
import { EventContext } from '@crm/messaging';
import { OrganisationService } from './organisation.service';

/** corebank.organisation: the institution tree and managers as core banking knows them. */
@Controller()
export class OrganisationConsumer {
  constructor(private readonly organisation: OrganisationService) {}

  @EventPattern(EventTypes.InstitutionUpserted)
  onInstitutionUpserted(@Payload() p: InstitutionUpsertedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.organisation.institutionFromCorebank(ctx.tx, p);
  }

  @EventPattern(EventTypes.ManagerUpserted)
  onManagerUpserted(@Payload() p: ManagerUpsertedPayload, @Ctx() ctx: EventContext): Promise<void> {
    return this.organisation.managerFromCorebank(ctx.tx, p);
  }
}
