import type { BusinessCalendar } from '@crm/calendar';
import type { CustomerProfileChangedPayload } from '@crm/contracts';
import type { StoredProfile } from './profile-snapshot.repository';

/**
 * A stored profile as crm.analytics.profile carries it (and the API shows it). Potential tags and churn come
 * with later steps of the close of business: none yet.
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
  tags: [],
  churnScore: 0,
  churnReasons: [],
  computedAt: calendar.timestamp(p.computedAt.getTime()),
});
