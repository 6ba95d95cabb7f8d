import { calendar } from '../testing/rule-fixtures';
import {
  DEFAULT_ALERT_PARAMETERS,
  EVENT_SAMPLES,
  EventTypes,
  type CardSpendPostedPayload,
} from '@crm/contracts';
import { largeCardSpendRule } from './large-card-spend.rule';

const spend = (
  amount: string,
  currency = 'CNY',
  postedAt = '2025-03-01T23:59:59+08:00',
): CardSpendPostedPayload => ({
  ...(EVENT_SAMPLES[EventTypes.CardSpendPosted] as unknown as CardSpendPostedPayload),
  amount: { amount, currency },
  postedAt,
});

describe('largeCardSpendRule', () => {
  it('raises exactly at the threshold, on the CST posting day', () => {
    expect(largeCardSpendRule(spend('50000.00'), DEFAULT_ALERT_PARAMETERS, calendar)).toMatchObject({
      kind: 'large-card-spend',
      periodKey: '2025-03-01',
    });
    expect(
      largeCardSpendRule(spend('50000.00', 'CNY', '2025-03-01T16:00:00Z'), DEFAULT_ALERT_PARAMETERS, calendar)
        ?.periodKey,
    ).toBe('2025-03-02');
  });

  it('stays quiet a cent under', () => {
    expect(largeCardSpendRule(spend('49999.99'), DEFAULT_ALERT_PARAMETERS, calendar)).toBeNull();
  });

  it('does not compare a spend in another currency with CNY thresholds', () => {
    expect(largeCardSpendRule(spend('90000.00', 'USD'), DEFAULT_ALERT_PARAMETERS, calendar)).toBeNull();
  });
});
