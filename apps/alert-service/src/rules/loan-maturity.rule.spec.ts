import { calendar, cst } from '../testing/rule-fixtures';
import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { loanMaturityRule } from './loan-maturity.rule';
import { isReminderDue } from './reminder.util';

describe('loanMaturityRule', () => {
  it('is due 30 days before maturity, keyed on the maturity date', () => {
    const plan = loanMaturityRule(
      { loanId: 'L1', customerId: 'C1', institutionId: 'I1', maturityDate: '2025-04-30', schedule: [] },
      DEFAULT_ALERT_PARAMETERS,
      calendar,
    );
    expect(plan).toMatchObject({ kind: 'loan-maturity', subjectRef: 'L1', dueDate: '2025-04-30' });
    expect(isReminderDue(plan, cst('2025-03-30', '23:00:00'))).toBe(false);
    expect(isReminderDue(plan, cst('2025-03-31'))).toBe(true);
  });
});
