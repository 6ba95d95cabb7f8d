import Decimal from 'decimal.js';
import { MarketingChannel } from '@crm/contracts';
import type { CustomerFacts } from '../customers/customer-facts.repository';
import { ContactPolicy } from '../policy/contact-policy.rule';
import { ineligibility } from '../policy/eligibility.rule';
import { propensityOf } from '../analytics/propensity.rule';

/** A running campaign the customer is a treatment target of, offering on the channel asked about. */
export interface OfferCandidate {
  campaignId: string;
  priority: number;
  productCodes: string[];
  conversionValue: string;
  message: string;
}

export interface RankedOffer extends OfferCandidate {
  /** What the customer does not hold yet, in the campaign's order. */
  offeredProducts: string[];
  /** The chance the customer converts on the products offered (propensityOf), 0 to 1. */
  propensity: string;
  /** priority × propensity × conversion value. */
  score: string;
}

/**
 * The offers worth presenting, best first: the campaign's priority times the customer's propensity for
 * the products offered (propensityOf: their potential-tag scores in analytics-service's latest profile,
 * DEFAULT_PROPENSITY where it says nothing of them) times what a conversion is worth; campaign id breaks
 * ties. Offers the customer may not get (consent, do-not-contact, a recent no, products held) are left
 * out, with the first reason kept for the answer "why nothing".
 */
export function rankOffers(
  candidates: readonly OfferCandidate[],
  facts: CustomerFacts | undefined,
  channel: MarketingChannel,
  policy: ContactPolicy,
  now: number,
): { ranked: RankedOffer[]; firstExclusion: string | null } {
  let firstExclusion: string | null = null;
  const ranked: RankedOffer[] = [];
  for (const candidate of candidates) {
    const reason = ineligibility(facts, channel, candidate.productCodes, policy, now);
    if (reason) {
      firstExclusion ??= reason;
      continue;
    }
    const propensity = propensityOf(candidate.productCodes, facts);
    const score = new Decimal(candidate.priority).times(propensity).times(candidate.conversionValue);
    ranked.push({
      ...candidate,
      offeredProducts: candidate.productCodes.filter((p) => !facts?.heldProducts.has(p)),
      propensity: propensity.toFixed(4),
      score: score.toFixed(4),
    });
  }
  ranked.sort(
    (a, b) =>
      new Decimal(b.score).comparedTo(a.score) ||
      (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0),
  );
  return { ranked, firstExclusion };
}
