import { calendar, cst } from '../testing/rule-fixtures';
import {
  DEFAULT_ALERT_PARAMETERS,
  EVENT_SAMPLES,
  EventTypes,
  type CardStatementIssuedPayload,
} from '@crm/contracts';
import { cardRepaymentDueRule } from './card-repayment-due.rule';
import { isReminderDue } from './reminder.util';

describe('cardRepaymentDueRule', () => {
  it('is due 3 days before the statement’s due date, keyed on it', () => {
    const statement = {
      ...(EVENT_SAMPLES[EventTypes.CardStatementIssued] as unknown as CardStatementIssuedPayload),
      dueDate: '2025-03-01',
    };
    const plan = cardRepaymentDueRule(statement, DEFAULT_ALERT_PARAMETERS, calendar);
    expect(plan).toMatchObject({
      kind: 'card-repayment-due',
      subjectRef: statement.cardId,
      dueDate: '2025-03-01',
    });
    // Across February's end: 3 days before 1 March is 26 February.
    expect(isReminderDue(plan, cst('2025-02-25', '23:59:59'))).toBe(false);
    expect(isReminderDue(plan, cst('2025-02-26'))).toBe(true);
  });
});
