import { calendar, cst } from '../testing/rule-fixtures';
import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { loanInstalmentDueRule } from './loan-instalment-due.rule';
import { isReminderDue } from './reminder.util';

const loan = {
  loanId: 'L1',
  customerId: 'C1',
  institutionId: 'I1',
  maturityDate: '2025-05-03',
  schedule: [
    { sequence: 1, dueDate: '2025-03-03' },
    { sequence: 2, dueDate: '2025-04-03' },
    { sequence: 3, dueDate: '2025-05-03' },
  ],
};

describe('loanInstalmentDueRule', () => {
  it('plans one reminder per instalment still to come, keyed on its due date', () => {
    const plans = loanInstalmentDueRule(loan, '2025-03-04', DEFAULT_ALERT_PARAMETERS, calendar);
    expect(plans.map((p) => p.dueDate)).toEqual(['2025-04-03', '2025-05-03']);
  });

  it('keeps an instalment due today and is due 3 days before at 00:00 CST', () => {
    const [first] = loanInstalmentDueRule(loan, '2025-03-03', DEFAULT_ALERT_PARAMETERS, calendar);
    expect(first.dueDate).toBe('2025-03-03');
    expect(isReminderDue(first, cst('2025-02-27', '23:59:59'))).toBe(false);
    expect(isReminderDue(first, cst('2025-02-28'))).toBe(true);
  });
});
