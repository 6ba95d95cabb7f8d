import type { BusinessCalendar } from '@crm/calendar';
import type { CustomerProfileChangedPayload } from '@crm/contracts';
import { tagFacts } from './potential-tag.rule';
import type { StoredProfile } from './profile-snapshot.repository';

/**
 * A stored profile as crm.analytics.profile carries it (and the API shows it): each tag with the facts behind
 * it in words, told from the indicators the run decided it on; the churn reasons by name.
 */
export const profilePayload = (
  businessDate: string,
  p: StoredProfile,
  calendar: BusinessCalendar,
): CustomerProfileChangedPayload => ({
  customerId: p.customerId,
  businessDate,
  valueTier: p.valueTier,
  lifecycleStage: p.lifecycleStage,
  rfm: p.rfm,
  tags: p.tags.map(({ tag, score }) => ({ tag, score, facts: tagFacts(tag, p.signals) })),
  churnScore: p.churnScore,
  churnReasons: p.churnReasons.map((r) => r.reason),
  computedAt: calendar.timestamp(p.computedAt.getTime()),
});
