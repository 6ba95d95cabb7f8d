import { AccountKind, AlertKind, BankTransactionCodes } from '@crm/contracts';
import type { ScenarioDefinition } from './scenario.types';

export const timeDepositMaturingScenario: ScenarioDefinition = {
  name: 'time-deposit-maturing',
  summary:
    'A one-year time deposit of 200000.00 matures 5 days after the start: one maturity reminder (lead 7).',
  tell(story) {
    const customer = story.individual({ minAge: 55, maxAge: 70 });
    const current = story.currentAccount(customer, '35000.00');
    const deposit = story.maturingProduct(customer, AccountKind.TimeDeposit, '200000.00', 12, 5);
    story.expect(
      AlertKind.TimeDepositMaturity,
      customer,
      deposit.accountId,
      deposit.maturityDate!,
      'matures in 5 days (lead 7)',
    );
    story.credit(current, '4200.00', story.wait(24), {
      code: BankTransactionCodes.SalaryReceived,
      channel: 'batch',
      counterparty: { agent: { sameBank: true }, name: '浙江省社会保险事业管理服务中心' },
      remittanceInfo: '养老金',
    });
  },
};

export const wealthProductMaturingScenario: ScenarioDefinition = {
  name: 'wealth-product-maturing',
  summary:
    'A 6-month wealth product of 500000.00 matures 4 days after the start: one maturity reminder (lead 7).',
  tell(story) {
    const customer = story.individual({ minAge: 40, maxAge: 60 });
    story.currentAccount(customer, '68000.00');
    const product = story.maturingProduct(customer, AccountKind.WealthProduct, '500000.00', 6, 4);
    story.expect(
      AlertKind.WealthProductMaturity,
      customer,
      product.accountId,
      product.maturityDate!,
      'matures in 4 days (lead 7)',
    );
  },
};
