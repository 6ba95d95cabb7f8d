import { calendar } from '../testing/rule-fixtures';
import { EVENT_SAMPLES, EventTypes, type LoanOverduePayload } from '@crm/contracts';
import { loanOverdueRule } from './loan-overdue.rule';

describe('loanOverdueRule', () => {
  const sample = EVENT_SAMPLES[EventTypes.LoanOverdue] as unknown as LoanOverduePayload;

  it('keys on the instalment’s due date, so each day’s notice for it is the same alert', () => {
    const day1 = loanOverdueRule({ ...sample, dueDate: '2025-03-03', daysOverdue: 1 }, calendar);
    const day9 = loanOverdueRule({ ...sample, dueDate: '2025-03-03', daysOverdue: 9 }, calendar);
    expect(day1).toMatchObject({ kind: 'loan-overdue', periodKey: '2025-03-03' });
    expect(day9.periodKey).toBe(day1.periodKey);
  });

  it('carries principal plus interest overdue as a decimal string', () => {
    const alert = loanOverdueRule(
      {
        ...sample,
        overduePrincipal: { amount: '20000.10', currency: 'CNY' },
        overdueInterest: { amount: '900.20', currency: 'CNY' },
      },
      calendar,
    );
    expect(alert.amount).toEqual({ amount: '20900.30', currency: 'CNY' });
  });
});
