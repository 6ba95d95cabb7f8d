import { AlertKind } from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const splitLargeInflowScenario: ScenarioDefinition = {
  name: 'split-large-inflow',
  summary:
    'Four credits from other banks, each under 500000.00, sum to 1030000.00 within seven hours: one large-inflow alert.',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '12000.00');
    const amounts = ['300000.00', '280000.00', '250000.00', '200000.00'];
    let crossing = 0;
    for (const amount of amounts) {
      crossing = story.wait(2);
      story.receiveFromOtherBank(current, amount, crossing);
    }
    // 300000 + 280000 + 250000 = 830000 < 1000000; the fourth credit takes the 24 h sum to 1030000.
    story.expect(
      AlertKind.LargeInflow,
      customer,
      current.accountId,
      cstDateOf(crossing),
      'credits sum to 1030000.00 >= 1000000.00 within 24 h',
    );
  },
};
