import { AlertKind, type AlertParameters, type CardSpendPostedPayload } from '@crm/contracts';
import { money } from '@crm/persistence';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/**
 * 贷记卡大额消费: one card spend at or above the threshold (inclusive), in the parameters' currency.
 * Period: the posting day (CST).
 */
export function largeCardSpendRule(
  spend: CardSpendPostedPayload,
  parameters: Pick<AlertParameters, 'currency' | 'largeCardSpend'>,
  calendar: BusinessCalendar,
): AlertCandidate | null {
  if (spend.amount.currency !== parameters.currency) return null;
  if (money(spend.amount.amount).lt(parameters.largeCardSpend.singleAmount)) return null;
  const at = Date.parse(spend.postedAt);
  return {
    kind: AlertKind.LargeCardSpend,
    customerId: spend.customerId,
    subjectRef: spend.cardId,
    periodKey: calendar.dateOf(at),
    institutionId: spend.institutionId,
    amount: spend.amount,
    reason: `card spend of ${spend.amount.amount} ${spend.amount.currency}${spend.merchantName ? ` at ${spend.merchantName}` : ''} >= ${parameters.largeCardSpend.singleAmount}`,
    occurredAt: at,
  };
}
