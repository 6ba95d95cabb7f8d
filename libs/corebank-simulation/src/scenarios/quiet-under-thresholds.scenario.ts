import { BankTransactionCodes } from '@crm/contracts';
import type { ScenarioDefinition } from './scenario.types';

export const quietUnderThresholdsScenario: ScenarioDefinition = {
  name: 'quiet-under-thresholds',
  summary:
    'Everything just under a threshold within one window: two credits of 499999.99 (sum 999999.98), four transfers ' +
    'to other banks, debits summing 979999.99, a 49999.99 card spend. Must raise NO alert.',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '50000.00');
    const card = story.card(customer, current, { creditLimit: '100000.00', statementDay: 28 });
    story.receiveFromOtherBank(current, '499999.99', story.wait(1));
    story.receiveFromOtherBank(current, '499999.99', story.wait(1));
    for (let i = 0; i < 4; i++) story.sendToOtherBank(current, '120000.00', story.wait(1));
    story.debit(current, '499999.99', story.wait(1), {
      code: BankTransactionCodes.TransferSent,
      channel: 'counter',
      counterparty: { agent: { sameBank: true }, name: '王秀英', accountReference: '6231****0428' },
    });
    story.record(
      story.ops.cardSpend(card, '49999.99', story.wait(1), {
        mcc: '5732',
        name: '苏宁易购',
        channel: 'online',
      }),
    );
  },
};
