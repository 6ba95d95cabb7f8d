import { AlertKind } from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const moneyDrainingScenario: ScenarioDefinition = {
  name: 'money-draining-to-other-banks',
  summary:
    'Funded by three 400000.00 credits two days apart (no alert), the customer then sends six 190000.00 transfers ' +
    'to other banks within five hours: frequent-transfers (at the 5th) and large-outflow (1140000.00, at the 6th).',
  tell(story) {
    const customer = story.individual({ minAge: 45, maxAge: 60 });
    const current = story.currentAccount(customer, '15000.00');
    // 48 h apart: no 24 h window holds more than one, and each is below the single threshold.
    story.receiveFromOtherBank(current, '400000.00', story.wait(1), undefined, '往来款');
    story.receiveFromOtherBank(current, '400000.00', story.wait(48), undefined, '往来款');
    story.receiveFromOtherBank(current, '400000.00', story.wait(48), undefined, '往来款');

    // At least 48 h on, and within one CST day: the 6th transfer also holds five in its window, and on a day
    // of its own it would be an alert of its own (the period is the booking day).
    story.onDay(7, 10);
    const sentAt: number[] = [];
    for (let i = 0; i < 6; i++) {
      sentAt.push(story.wait(1));
      story.sendToOtherBank(current, '190000.00', sentAt[i]);
    }
    story.expect(
      AlertKind.FrequentTransfersToOtherBanks,
      customer,
      current.accountId,
      cstDateOf(sentAt[4]),
      'the 5th transfer to another bank within 24 h (threshold 5)',
    );
    story.expect(
      AlertKind.LargeOutflow,
      customer,
      current.accountId,
      cstDateOf(sentAt[5]),
      'debits within 24 h reach 1140000.00 >= 1000000.00 at the 6th transfer (950000.00 after the 5th)',
    );
  },
};
