import { MS_PER_DAY } from '@crm/calendar';
import { CONSENT_REQUIRED_BY, MarketingChannel } from '@crm/contracts';
import type { CustomerFacts } from '../customers/customer-facts.repository';
import { ContactPolicy } from './contact-policy.rule';

/** Why a contact was not made; stored in the ledger and counted in the evaluation. */
export const SuppressionReason = {
  OptedOut: 'opted-out',
  DoNotContact: 'do-not-contact',
  Cooling: 'declined-recently',
  AlreadyHolds: 'already-holds-product',
  NoManager: 'no-manager',
  Arbitration: 'lost-arbitration',
} as const;

/**
 * The checks that need no counter: consent for the channel, the bank's do-not-contact list, a product
 * declined within the cooling period, a product already held. Null when the contact may go ahead to the
 * counters; otherwise the reason (do-not-contact carries its own: `do-not-contact:complaint`).
 */
export function ineligibility(
  facts: CustomerFacts | undefined,
  channel: MarketingChannel,
  productCodes: readonly string[],
  policy: ContactPolicy,
  now: number,
): string | null {
  if (!facts) return null;
  if (facts.doNotContact) return `${SuppressionReason.DoNotContact}:${facts.doNotContact}`;
  const consent = CONSENT_REQUIRED_BY[channel];
  if (consent !== null && facts.optedOut.has(consent)) return SuppressionReason.OptedOut;
  const offered = productCodes.filter((p) => !facts.heldProducts.has(p));
  if (offered.length === 0) return SuppressionReason.AlreadyHolds;
  const coolingMs = policy.declineCoolingDays * MS_PER_DAY;
  if (offered.every((p) => now - (facts.declinedAt.get(p) ?? -Infinity) < coolingMs))
    return SuppressionReason.Cooling;
  return null;
}
