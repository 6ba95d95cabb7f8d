import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Metadata } from '@grpc/grpc-js';
import { GrpcCallRunner, validatedInput } from '@crm/http';
import { AuthenticationService, Public } from '@crm/security';
import { OFFER_DECIDERS } from '../common/campaign-roles';
import { DecisionIdParam } from '../common/route-params.dto';
import { DecideRequestDto, OfferResponseDto } from '../offers/offer.dto';
import { OffersService } from '../offers/offers.service';

/**
 * Next best offer over gRPC for the lobby app, the counter and mobile banking. Public to the HTTP guards
 * (they cannot read gRPC metadata); each call authenticates its bearer token and is checked by the REST DTOs.
 */
@Public()
@Controller()
export class CampaignGrpcController {
  private readonly grpc: GrpcCallRunner;

  constructor(
    authentication: AuthenticationService,
    private readonly offers: OffersService,
  ) {
    this.grpc = new GrpcCallRunner(authentication, OFFER_DECIDERS);
  }

  @GrpcMethod('CampaignService', 'Decide')
  decide(
    request: { customerId?: string; channel?: string; institutionId?: string; ticketId?: string },
    metadata: Metadata,
  ) {
    return this.grpc.run(request, metadata, async (user) => {
      const dto = await validatedInput(DecideRequestDto, {
        customerId: request.customerId,
        channel: request.channel,
        context:
          request.institutionId || request.ticketId
            ? { institutionId: request.institutionId, ticketId: request.ticketId }
            : undefined,
      });
      const decision = await this.offers.decide(user, dto);
      return { ...decision, offer: decision.offer ?? undefined, reason: decision.reason ?? undefined };
    });
  }

  @GrpcMethod('CampaignService', 'RecordResponse')
  recordResponse(request: { decisionId?: string; response?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) => {
      const { decisionId } = await validatedInput(DecisionIdParam, { decisionId: request.decisionId });
      await this.offers.respond(
        user,
        decisionId,
        await validatedInput(OfferResponseDto, { response: request.response }),
      );
      return {};
    });
  }
}
