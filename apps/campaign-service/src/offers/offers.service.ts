import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { MarketingChannel } from '@crm/contracts';
import { AuthenticatedUser, Role, hasRole } from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';
import { CustomerFactsRepository } from '../customers/customer-facts.repository';
import { TickBatch } from '../common/tick-batch';
import { DispatchRepository } from '../dispatch/dispatch.repository';
import { ContactCounterStore } from '../policy/contact-counter.store';
import { CountedContact, counterChecks } from '../policy/contact-counters.rule';
import { ContactPolicyService } from '../policy/contact-policy.service';
import { CustomerScope } from '../scope/customer-scope';
import { LobbyTicketRepository } from '../lobby/lobby-ticket.repository';
import { DecideRequestDto, DecisionDto, OfferDto, OfferResponse, OfferResponseDto } from './offer.dto';
import { DecisionAsk, OffersRepository, RecordedDecision } from './offers.repository';
import { RankedOffer, rankOffers } from './next-best-offer.rule';

/** The reason when the customer is the target of no running campaign on the channel. */
const NO_CAMPAIGN = 'no-campaign';
/** Offers a preview lists: the one decide would present, and the next ones should it be refused. */
const PREVIEWED_OFFERS = 3;

const offerOf = (offer: RankedOffer): OfferDto => ({
  campaignId: offer.campaignId,
  productCodes: offer.offeredProducts,
  message: offer.message,
  propensity: offer.propensity,
  score: offer.score,
});

/** What decide would choose from, best first, or why there is nothing. */
export interface OfferPreview {
  offers: OfferDto[];
  reason: string | null;
}

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
    private readonly policies: ContactPolicyService,
    private readonly counters: ContactCounterStore,
    private readonly dispatch: DispatchRepository,
    private readonly scope: CustomerScope,
    private readonly lobby: LobbyTicketRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  private readonly decisionInputs = new TickBatch((asked: DecisionAsk[]) =>
    this.offers.decisionInputs(asked),
  );
  private readonly decisionRecords = new TickBatch((decisions: RecordedDecision[]) =>
    this.recordAll(decisions),
  );

  async decide(user: AuthenticatedUser, dto: DecideRequestDto, now = Date.now()): Promise<DecisionDto> {
    await this.assertMayServe(user, dto.customerId, now);
    const { candidates, ranked, firstExclusion, facts, policy, institutionId } = await this.rank(
      dto.customerId,
      dto.channel,
      now,
    );

    const decisionId = randomUUID();
    let reason: string | null = candidates.length === 0 ? NO_CAMPAIGN : firstExclusion;
    const best = ranked[0];
    let counted: CountedContact | null = null;
    if (best) {
      const contact: CountedContact = {
        contactId: decisionId,
        customerId: dto.customerId,
        channel: dto.channel,
        phoneHash: facts.phoneHash,
        emailHash: facts.emailHash,
        managerId: null,
        at: now,
      };
      const result = await this.counters.reserve(contact, counterChecks(policy, contact, this.calendar), () =>
        this.dispatch.madeSince(Date.now()),
      );
      if (result.reserved) counted = contact;
      else reason = result.blockedBy.reason;
    }
    const offer = counted && best;
    const failure = await this.decisionRecords.add({
      decision: {
        decisionId,
        customerId: dto.customerId,
        channel: dto.channel,
        campaignId: offer ? offer.campaignId : null,
        productCodes: offer ? offer.offeredProducts : [],
        reason: offer ? null : reason,
        context: dto.context ?? {},
        decidedBy: user.userId,
        decidedAt: new Date(now),
      },
      contact: offer
        ? {
            contactId: decisionId,
            campaignId: offer.campaignId,
            customerId: dto.customerId,
            channel: dto.channel,
            outcome: 'sent',
            reason: null,
            institutionId,
            managerId: null,
            phoneHash: facts.phoneHash,
            emailHash: facts.emailHash,
            dueAt: new Date(now),
            recordedAt: new Date(now),
          }
        : null,
    });
    if (failure) {
      if (counted) await this.counters.release(counted).catch(() => undefined);
      throw failure.error;
    }
    return {
      decisionId,
      customerId: dto.customerId,
      channel: dto.channel,
      offer: offer ? offerOf(offer) : null,
      reason: offer ? null : reason,
      decidedAt: new Date(now).toISOString(),
    };
  }

  /**
   * The offers decide would choose from now, best first, without presenting any: nothing is counted or
   * recorded (a lobby card shows them; the manager presents one through decide). Caps are not checked
   * here, so decide may still answer with a cap's reason.
   */
  async preview(customerId: string, channel: MarketingChannel, now = Date.now()): Promise<OfferPreview> {
    const { candidates, ranked, firstExclusion } = await this.rank(customerId, channel, now);
    return {
      offers: ranked.slice(0, PREVIEWED_OFFERS).map(offerOf),
      reason: ranked.length > 0 ? null : candidates.length === 0 ? NO_CAMPAIGN : firstExclusion,
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
      await this.assertMayServe(user, decision.customer_id, Date.now());
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

  /** The customer's candidate campaigns on `channel`, those the policy allows ranked best first, and what decides it. */
  private async rank(customerId: string, channel: MarketingChannel, now: number) {
    const { candidates, institutionId, facts } = await this.decisionInputs.add({
      customerId,
      channel,
      at: new Date(now),
    });
    const policy = await this.policies.effectiveFor(institutionId);
    const { ranked, firstExclusion } = rankOffers(candidates, facts, channel, policy, now);
    return { candidates, ranked, firstExclusion, facts, policy, institutionId };
  }

  /**
   * A tick's decisions in one statement. Should it fail, each is recorded alone, so a decision Postgres
   * refuses fails its own request only. Per decision: undefined when recorded, else what went wrong.
   */
  private async recordAll(decisions: RecordedDecision[]): Promise<({ error: unknown } | undefined)[]> {
    try {
      await this.offers.recordDecisions(decisions);
      return decisions.map(() => undefined);
    } catch (error) {
      if (decisions.length === 1) return [{ error }];
      return Promise.all(
        decisions.map((d) =>
          this.offers.recordDecisions([d]).then(
            () => undefined,
            (alone: unknown) => ({ error: alone }),
          ),
        ),
      );
    }
  }

  /**
   * A bank system (the lobby app, mobile banking) serves whoever shows up; a lobby manager whoever holds a
   * ticket at their outlet today (they cover no customers); other staff the customers in their data scope.
   */
  private async assertMayServe(user: AuthenticatedUser, customerId: string, now: number): Promise<void> {
    if (hasRole(user, Role.System)) return;
    if (hasRole(user, Role.LobbyManager)) {
      const today = this.calendar.today(now);
      if (await this.lobby.isQueuing(user.institutionId, customerId, today)) return;
      if (user.roles.every((role) => role === Role.LobbyManager))
        throw new CampaignException(
          CampaignExceptionCode.CustomerNotFound,
          `No customer ${customerId} holds a ticket at your outlet today`,
        );
    }
    await this.scope.assertCovers(user, customerId);
  }
}
