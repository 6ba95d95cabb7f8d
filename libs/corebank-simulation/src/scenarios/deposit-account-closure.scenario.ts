import { AccountClosureReason, AlertKind, BankTransactionCodes } from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const depositAccountClosureScenario: ScenarioDefinition = {
  name: 'deposit-account-closure',
  summary:
    'A customer moves 120000.00 from savings to current and closes the savings account: one closure alert.',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '20000.00');
    const savings = story.savingsAccount(customer, '120000.00');
    const at = story.wait(2);
    story.debit(savings, '120000.00', at, {
      code: BankTransactionCodes.BookTransferOut,
      channel: 'counter',
      counterparty: { agent: { sameBank: true }, accountReference: current.accountId },
    });
    story.credit(current, '120000.00', at, {
      code: BankTransactionCodes.BookTransferIn,
      channel: 'counter',
      counterparty: { agent: { sameBank: true }, accountReference: savings.accountId },
    });
    const closedAt = story.wait(0.1);
    story.record(story.ops.closeAccount(savings, closedAt, AccountClosureReason.CustomerRequest));
    story.expect(
      AlertKind.DepositAccountClosed,
      customer,
      savings.accountId,
      cstDateOf(closedAt),
      'savings closed at the customer’s request',
    );
  },
};
