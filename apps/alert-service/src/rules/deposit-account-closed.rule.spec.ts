import { calendar } from '../testing/rule-fixtures';
import { EVENT_SAMPLES, EventTypes, type AccountClosedPayload } from '@crm/contracts';
import { depositAccountClosedRule } from './deposit-account-closed.rule';

const closed = (over: Partial<AccountClosedPayload>): AccountClosedPayload => ({
  ...(EVENT_SAMPLES[EventTypes.AccountClosed] as unknown as AccountClosedPayload),
  ...over,
});

describe('depositAccountClosedRule', () => {
  it('raises for a closure at the customer’s request, on the closing day', () => {
    expect(
      depositAccountClosedRule(closed({ reason: 'customer-request', closedOn: '2025-03-04' }), calendar),
    ).toMatchObject({
      kind: 'deposit-account-closed',
      periodKey: '2025-03-04',
    });
  });

  it.each(['dormancy', 'bank-initiated'] as const)('raises for a closure for %s', (reason) => {
    expect(depositAccountClosedRule(closed({ reason }), calendar)).not.toBeNull();
  });

  it('stays quiet when a product closes because it matured', () => {
    expect(depositAccountClosedRule(closed({ reason: 'matured' }), calendar)).toBeNull();
  });
});
