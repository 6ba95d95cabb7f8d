import { calendar, cst } from '../testing/rule-fixtures';
import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { isReminderDue } from './reminder.util';
import { wealthProductMaturityRule } from './wealth-product-maturity.rule';

describe('wealthProductMaturityRule', () => {
  const account = { accountId: 'W1', customerId: 'C1', institutionId: 'I1', maturityDate: '2025-04-01' };

  it('follows the institution’s lead days, across a month end', () => {
    const params = {
      reminderDaysBefore: { ...DEFAULT_ALERT_PARAMETERS.reminderDaysBefore, wealthProductMaturity: 2 },
    };
    const plan = wealthProductMaturityRule({ ...account, kind: 'wealth-product' }, params, calendar)!;
    expect(plan.kind).toBe('wealth-product-maturity');
    expect(isReminderDue(plan, cst('2025-03-29', '23:59:59'))).toBe(false);
    expect(isReminderDue(plan, cst('2025-03-30'))).toBe(true);
  });

  it('plans nothing for a time deposit', () => {
    expect(
      wealthProductMaturityRule({ ...account, kind: 'time-deposit' }, DEFAULT_ALERT_PARAMETERS, calendar),
    ).toBeNull();
  });
});
