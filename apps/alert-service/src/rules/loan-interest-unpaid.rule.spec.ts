import { calendar } from '../testing/rule-fixtures';
import { EVENT_SAMPLES, EventTypes, type LoanInterestUnpaidPayload } from '@crm/contracts';
import { loanInterestUnpaidRule } from './loan-interest-unpaid.rule';

describe('loanInterestUnpaidRule', () => {
  it('raises one alert per loan and interest period', () => {
    const sample = EVENT_SAMPLES[EventTypes.LoanInterestUnpaid] as unknown as LoanInterestUnpaidPayload;
    const first = loanInterestUnpaidRule({ ...sample, period: '2025-03', asOf: '2025-03-21' }, calendar);
    const again = loanInterestUnpaidRule({ ...sample, period: '2025-03', asOf: '2025-03-28' }, calendar);
    expect(first).toMatchObject({
      kind: 'loan-interest-unpaid',
      subjectRef: sample.loanId,
      periodKey: '2025-03',
    });
    expect(again.periodKey).toBe(first.periodKey);
    expect(first.amount).toEqual(sample.amountUnpaid);
  });
});
