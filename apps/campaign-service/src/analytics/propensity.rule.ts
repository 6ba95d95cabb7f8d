import Decimal from 'decimal.js';
import { PotentialTag } from '@crm/contracts';
import { HoldingKind, type CustomerFacts } from '../customers/customer-facts.repository';

/**
 * The chance a contacted customer converts when analytics-service's profile says nothing about the
 * products offered: the same for every such offer, so value alone ranks campaigns of equal priority.
 */
export const DEFAULT_PROPENSITY = new Decimal('0.05');

/**
 * The potential-customer tag (潜力客户) that measures the potential for a product of each kind, as core
 * banking reports the kind: wealth products ← wealth-management, loans ← loan, credit cards ← credit-card.
 * Deposits (current, savings, time deposits) have none: no tag measures the potential for them.
 */
export const TAG_FOR_PRODUCT_KIND: Readonly<Partial<Record<HoldingKind, PotentialTag>>> = {
  [HoldingKind.WealthProduct]: PotentialTag.WealthManagement,
  [HoldingKind.Loan]: PotentialTag.Loan,
  [HoldingKind.Card]: PotentialTag.CreditCard,
};

/** What the rule reads of a customer's facts. */
export type PropensityFacts = Pick<CustomerFacts, 'heldProducts' | 'tagScores' | 'productKinds'>;

/**
 * The chance the customer converts on an offer of `productCodes`. Each product not held yet whose kind a
 * tag measures, and whose tag the customer's latest profile carries, gives that tag's score / 100 (0 to
 * 100 → 0 to 1); the offer's propensity is the highest of them, the best chance among what it offers.
 * DEFAULT_PROPENSITY when none does: no profile yet, only deposit products, a product whose kind is not
 * known here yet (no opening of it seen), or a profile without the tag.
 */
export function propensityOf(productCodes: readonly string[], facts: PropensityFacts | undefined): Decimal {
  let best: Decimal | null = null;
  for (const product of productCodes) {
    if (!facts || facts.heldProducts.has(product)) continue;
    const kind = facts.productKinds.get(product);
    const tag = kind === undefined ? undefined : TAG_FOR_PRODUCT_KIND[kind];
    const score = tag === undefined ? undefined : facts.tagScores.get(tag);
    if (score === undefined) continue;
    const chance = new Decimal(score).dividedBy(100);
    if (best === null || chance.greaterThan(best)) best = chance;
  }
  return best ?? DEFAULT_PROPENSITY;
}
