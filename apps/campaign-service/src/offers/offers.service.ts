import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { AuthenticatedUser, CoverageProjectionRepository, Role, hasRole } from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';
import { CustomerFactsRepository } from '../customers/customer-facts.repository';
import { DispatchRepository } from '../dispatch/dispatch.repository';
import { ContactCounterStore } from '../policy/contact-counter.store';
import { CountedContact, counterChecks } from '../policy/contact-counters.rule';
import { ContactPolicyService } from '../policy/contact-policy.service';
import { CustomerScope } from '../scope/customer-scope';
import { DecideRequestDto, DecisionDto, OfferResponse, OfferResponseDto } from './offer.dto';
import { OffersRepository } from './offers.repository';
import { rankOffers } from './next-best-offer.rule';

/**
 * Passive interception (被动拦截式营销): when a customer shows up at the lobby, the counter or in the app,
 * the best offer of the campaigns they are a treatment target of, that they may get on this channel now,
 * or none. A presented offer is a contact: it is counted under the policy's caps and recorded in the
 * ledger with the decision; the customer's response is recorded too (a decline cools the product off).
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offers: OffersRepository,
    private readonly facts: CustomerFactsRepository,
    private readonly coverage: CoverageProjectionRepository,
    private readonly policies: ContactPolicyService,
    private readonly counters: ContactCounterStore,
    private readonly dispatch: DispatchRepository,
    private readonly scope: CustomerScope,
    private readonly calendar: BusinessCalendar,
  ) {}

  async decide(user: AuthenticatedUser, dto: DecideRequestDto, now = Date.now()): Promise<DecisionDto> {
    // A bank system (the lobby app, mobile banking) decides for whoever shows up; staff for their customers.
    if (!hasRole(user, Role.System)) await this.scope.assertCovers(user, dto.customerId);
    const manager = this.dataSource.manager;
    const [candidates, coverage] = await Promise.all([
      this.offers.candidates(dto.customerId, dto.channel, new Date(now)),
      this.coverage.coverageOf(manager, [dto.customerId]),
    ]);
    const productCodes = [...new Set(candidates.flatMap((c) => c.productCodes))];
    const institutionId = coverage.get(dto.customerId)?.primaryInstitutionId ?? null;
    const [facts, policy] = await Promise.all([
      this.facts.factsOf(manager, [dto.customerId], productCodes),
      this.policies.effectiveFor(institutionId),
    ]);
    const customerFacts = facts.get(dto.customerId);
    const { ranked, firstExclusion } = rankOffers(candidates, customerFacts, dto.channel, policy, now);

    const decisionId = randomUUID();
    let reason: string | null = candidates.length === 0 ? 'no-campaign' : firstExclusion;
    const best = ranked[0];
    let counted: CountedContact | null = null;
    if (best) {
      const contact: CountedContact = {
        contactId: decisionId,
        customerId: dto.customerId,
        channel: dto.channel,
        phoneHash: customerFacts?.phoneHash ?? null,
        emailHash: customerFacts?.emailHash ?? null,
        managerId: null,
        at: now,
      };
      const result = await this.counters.reserve(
        contact,
        counterChecks(policy, contact, this.calendar),
        now,
        () => this.dispatch.madeSince(Date.now()),
      );
      if (result.reserved) counted = contact;
      else reason = result.blockedBy.reason;
    }
    const offer = counted && best;
    try {
      await this.dataSource.transaction(async (tx) => {
        await this.offers.recordDecision(tx, {
          decisionId,
          customerId: dto.customerId,
          channel: dto.channel,
          campaignId: offer ? offer.campaignId : null,
          productCodes: offer ? offer.offeredProducts : [],
          reason: offer ? null : reason,
          context: dto.context ?? {},
          decidedBy: user.userId,
          decidedAt: new Date(now),
        });
        if (offer) {
          await this.dispatch.record(tx, [
            {
              contactId: decisionId,
              campaignId: offer.campaignId,
              customerId: dto.customerId,
              channel: dto.channel,
              outcome: 'sent',
              reason: null,
              institutionId,
              managerId: null,
              phoneHash: customerFacts?.phoneHash ?? null,
              emailHash: customerFacts?.emailHash ?? null,
              dueAt: new Date(now),
              recordedAt: new Date(now),
            },
          ]);
          await this.offers.markContacted(tx, offer.campaignId, dto.customerId);
        }
      });
    } catch (error) {
      if (counted) await this.counters.release(counted).catch(() => undefined);
      throw error;
    }
    return {
      decisionId,
      customerId: dto.customerId,
      channel: dto.channel,
      offer: offer
        ? {
            campaignId: offer.campaignId,
            productCodes: offer.offeredProducts,
            message: offer.message,
            score: offer.score,
          }
        : null,
      reason: offer ? null : reason,
      decidedAt: new Date(now).toISOString(),
    };
  }

  /** What the customer said to the offer, once. A decline holds every campaign off those products for a while. */
  async respond(user: AuthenticatedUser, decisionId: string, dto: OfferResponseDto): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const decision = await this.offers.findDecision(tx, decisionId);
      if (!decision || decision.campaign_id === null)
        throw new CampaignException(
          CampaignExceptionCode.DecisionNotFound,
          `No offer was made with decision ${decisionId}`,
        );
      if (!hasRole(user, Role.System)) await this.scope.assertCovers(user, decision.customer_id);
      if (decision.response !== null)
        throw new CampaignException(
          CampaignExceptionCode.DecisionAnswered,
          `The response to decision ${decisionId} was recorded already (${decision.response})`,
        );
      await this.offers.recordResponse(tx, decisionId, dto.response);
      if (dto.response !== OfferResponse.Ignored)
        await this.facts.recordResponse(tx, {
          customerId: decision.customer_id,
          productCodes: decision.product_codes,
          campaignId: decision.campaign_id,
          channel: decision.channel,
          outcome: dto.response,
          at: new Date(),
          by: user.userId,
        });
    });
  }
}
