import { AlertKind, BankTransactionCodes } from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const largeInflowScenario: ScenarioDefinition = {
  name: 'large-inflow',
  summary:
    'A salaried customer receives 800000.00 from another bank for a flat sale: one large-inflow alert.',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '26000.00');
    story.credit(current, '8500.00', story.wait(1), {
      code: BankTransactionCodes.SalaryReceived,
      channel: 'batch',
      counterparty: { agent: { sameBank: true }, name: '浙江大学' },
      remittanceInfo: '代发工资',
    });
    const at = story.wait(26);
    story.receiveFromOtherBank(current, '800000.00', at, '杭州滨江置业有限公司', '购房款退回');
    story.expect(
      AlertKind.LargeInflow,
      customer,
      current.accountId,
      cstDateOf(at),
      'one credit of 800000.00 >= 500000.00',
    );
  },
};
