import { AlertKind } from '@crm/contracts';
import { addDays, cstDateOf, dayOfMonth, daysBetween, nextDayOfMonth } from '../core/calendar';
import type { ScenarioDefinition } from './scenario.types';

export const cardLargeSpendThenOverdueScenario: ScenarioDefinition = {
  name: 'card-large-spend-then-overdue',
  summary:
    'A 68000.00 jewellery purchase on a credit card (large-card-spend), a statement, a small purchase after the ' +
    'repayment reminder is due (card-repayment-due), no payment, overdue the day after the due date (card-overdue).',
  tell(story) {
    const customer = story.individual();
    const current = story.currentAccount(customer, '12000.00');
    // Two days on, so the purchases (a few hours after any start time) come before the statement.
    const firstCandidate = addDays(story.startDate, 2);
    const statementDay = dayOfMonth(firstCandidate) <= 28 ? dayOfMonth(firstCandidate) : 1;
    const card = story.card(customer, current, { creditLimit: '100000.00', statementDay });

    const bigSpend = story.wait(2);
    story.record(
      story.ops.cardSpend(card, '68000.00', bigSpend, { mcc: '5944', name: '周大福', channel: 'pos' }),
    );
    story.expect(
      AlertKind.LargeCardSpend,
      customer,
      card.cardId,
      cstDateOf(bigSpend),
      'one card spend of 68000.00 >= 50000.00',
    );
    story.record(
      story.ops.cardSpend(card, '128.50', story.wait(1), { mcc: '5812', name: '知味观', channel: 'pos' }),
    );

    const statementDate = nextDayOfMonth(firstCandidate, statementDay);
    const statementDays = daysBetween(story.startDate, statementDate);
    story.record(story.ops.cutStatement(card, statementDate, story.onDay(statementDays, 0, 30)));
    const dueDate = card.statement!.dueDate;
    story.expect(
      AlertKind.CardRepaymentDue,
      customer,
      card.cardId,
      dueDate,
      'statement payment due in 3 days (lead 3)',
    );

    const dueDays = daysBetween(story.startDate, dueDate);
    story.record(
      story.ops.cardSpend(card, '45.00', story.onDay(dueDays - 2, 12), {
        mcc: '4111',
        name: '杭州地铁',
        channel: 'mobile',
      }),
    );
    story.record(story.ops.cardOverdue(card, 1, story.onDay(dueDays + 1, 3)));
    story.expect(
      AlertKind.CardOverdue,
      customer,
      card.cardId,
      dueDate,
      'minimum payment not made by the due date',
    );
  },
};
