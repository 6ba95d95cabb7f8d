import Decimal from 'decimal.js';

/**
 * The chance a contacted customer converts, until analytics-service publishes a propensity per customer
 * and product: the same for every offer, so value alone ranks campaigns of equal priority.
 */
export const DEFAULT_PROPENSITY = new Decimal('0.05');

/** One campaign's claim on a customer in a dispatch slot. */
export interface ContactClaim {
  campaignId: string;
  priority: number;
  /** Value of a conversion times its propensity, a decimal string in the bank's currency. */
  expectedValue: string;
}

/**
 * The order in which competing campaigns get to contact one customer in a slot: higher priority first,
 * then higher expected value, then the campaign id (so every instance and replay decides alike). The
 * first claim the contact policy allows wins; the others are suppressed for this slot.
 */
export function rankClaims<T extends ContactClaim>(claims: readonly T[]): T[] {
  return [...claims].sort(
    (a, b) =>
      b.priority - a.priority ||
      new Decimal(b.expectedValue).comparedTo(a.expectedValue) ||
      (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0),
  );
}
