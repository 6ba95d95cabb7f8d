import Decimal from 'decimal.js';

/** One campaign's claim on a customer in a dispatch slot. */
export interface ContactClaim {
  campaignId: string;
  priority: number;
  /** A conversion's value times the customer's propensity (propensityOf), a decimal string. */
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
