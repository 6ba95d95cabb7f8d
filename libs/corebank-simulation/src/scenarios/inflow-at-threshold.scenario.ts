import { AlertKind } from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const inflowAtThresholdScenario: ScenarioDefinition = {
  name: 'inflow-at-threshold',
  summary: 'One credit of exactly 500000.00: thresholds are inclusive, so one large-inflow alert.',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '10000.00');
    const at = story.wait(1);
    story.receiveFromOtherBank(current, '500000.00', at);
    story.expect(
      AlertKind.LargeInflow,
      customer,
      current.accountId,
      cstDateOf(at),
      'one credit of exactly 500000.00 (>=)',
    );
  },
};
