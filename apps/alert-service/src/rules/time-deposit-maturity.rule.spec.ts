import { calendar, cst } from '../testing/rule-fixtures';
import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { isReminderDue } from './reminder.util';
import { timeDepositMaturityRule } from './time-deposit-maturity.rule';

const account = { accountId: 'A1', customerId: 'C1', institutionId: 'I1', maturityDate: '2025-03-10' };

describe('timeDepositMaturityRule', () => {
  it('is due from 00:00 CST seven days before maturity, keyed on the maturity date', () => {
    const plan = timeDepositMaturityRule(
      { ...account, kind: 'time-deposit' },
      DEFAULT_ALERT_PARAMETERS,
      calendar,
    )!;
    expect(plan).toMatchObject({ kind: 'time-deposit-maturity', dueDate: '2025-03-10' });
    expect(isReminderDue(plan, cst('2025-03-02', '23:59:59'))).toBe(false);
    expect(isReminderDue(plan, cst('2025-03-03'))).toBe(true);
  });

  it('is due at once for a deposit learned about inside its lead time', () => {
    const plan = timeDepositMaturityRule(
      { ...account, kind: 'time-deposit' },
      DEFAULT_ALERT_PARAMETERS,
      calendar,
    )!;
    expect(isReminderDue(plan, cst('2025-03-08', '10:00:00'))).toBe(true);
  });

  it('plans nothing for other account kinds', () => {
    expect(
      timeDepositMaturityRule({ ...account, kind: 'wealth-product' }, DEFAULT_ALERT_PARAMETERS, calendar),
    ).toBeNull();
    expect(
      timeDepositMaturityRule(
        { ...account, kind: 'savings', maturityDate: undefined },
        DEFAULT_ALERT_PARAMETERS,
        calendar,
      ),
    ).toBeNull();
  });
});
