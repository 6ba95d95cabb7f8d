import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { largeOutflowRule } from './large-outflow.rule';
import { SUBJECT, entry, feed, calendar } from '../testing/rule-fixtures';

const rule = (
  others: Parameters<typeof largeOutflowRule>[1],
  added: Parameters<typeof largeOutflowRule>[2],
) => largeOutflowRule(SUBJECT, others, added, DEFAULT_ALERT_PARAMETERS, calendar);

describe('largeOutflowRule', () => {
  it('raises for one debit exactly at the single threshold', () => {
    expect(rule([], entry('d1', '500000.00', 0))).toMatchObject([
      { kind: 'large-outflow', periodKey: '2025-03-01' },
    ]);
  });

  it('raises at the debit that takes the 24 h sum to the total (950000.00 then 1140000.00)', () => {
    const debits = [0, 1, 2, 3, 4, 5].map((h) => entry(`d${h}`, '190000.00', h));
    const raised = debits.map((d, i) => rule(debits.slice(0, i), d).length);
    expect(raised).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('stays quiet just under (979999.99 within one window)', () => {
    expect(feed([entry('d1', '480000.00', 0), entry('d2', '499999.99', 1)], rule)).toEqual([]);
  });

  it('raises for the late debit’s window when it arrives after the later ones, on their day', () => {
    const late = feed([entry('d2', '600000.00', 30), entry('d1', '450000.00', 20)], rule);
    // 09:00 + 30 h is 15:00 CST on 2 March: d1 (05:00 on 2 March) falls inside d2's window.
    expect(late).toEqual(['2025-03-02']);
  });

  it('ignores a debit in another currency', () => {
    expect(rule([], entry('d1', '800000.00', 0, { currency: 'HKD' }))).toEqual([]);
  });
});
