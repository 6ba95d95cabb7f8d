import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import { largeInflowRule } from './large-inflow.rule';
import { SUBJECT, entry, feed, calendar } from '../testing/rule-fixtures';

const rule = (others: Parameters<typeof largeInflowRule>[1], added: Parameters<typeof largeInflowRule>[2]) =>
  largeInflowRule(SUBJECT, others, added, DEFAULT_ALERT_PARAMETERS, calendar);

describe('largeInflowRule', () => {
  it('raises for one credit exactly at the single threshold, with the booking day as period', () => {
    const [alert] = rule([], entry('t1', '500000.00', 0));
    expect(alert).toMatchObject({
      kind: 'large-inflow',
      subjectRef: 'A1',
      periodKey: '2025-03-01',
      amount: { amount: '500000.00', currency: 'CNY' },
    });
  });

  it('stays quiet one cent under both thresholds', () => {
    expect(feed([entry('t1', '499999.99', 0), entry('t2', '499999.99', 1)], rule)).toEqual([]);
  });

  it('raises when credits within the window reach the total exactly, on the crossing credit’s day', () => {
    const periods = feed(
      [entry('t1', '400000.00', 0), entry('t2', '300000.00', 10), entry('t3', '300000.00', 16)],
      rule,
    );
    // 09:00 + 16 h is 01:00 CST on 2 March.
    expect(periods).toEqual(['2025-03-02']);
  });

  it('leaves out a credit booked exactly one window earlier (the window is (t - 24 h, t])', () => {
    const first = [entry('t1', '400000.00', 0), entry('t2', '300000.00', 12)];
    expect(feed([...first, entry('t3', '300000.00', 24)], rule)).toEqual([]);
    expect(feed([...first, entry('t3', '300000.00', 23.99)], rule)).toEqual(['2025-03-02']);
  });

  it('judges windows by booking time: the same alert whatever order the credits arrive in', () => {
    const credits = [entry('t1', '300000.00', 0), entry('t2', '350000.00', 3), entry('t3', '350000.00', 5)];
    const inOrder = feed(credits, rule);
    // The earliest credit arrives last: it lands in the windows of the two booked after it.
    const late = feed([credits[1], credits[2], credits[0]], rule);
    expect(inOrder).toEqual(['2025-03-01']);
    expect(late).toEqual(inOrder);
  });

  it('does not compare a credit in another currency with CNY thresholds, nor add it to CNY sums', () => {
    expect(rule([], entry('t1', '900000.00', 0, { currency: 'USD' }))).toEqual([]);
    expect(
      feed([entry('t1', '600000.00', 0, { currency: 'USD' }), entry('t2', '450000.00', 1)], rule),
    ).toEqual([]);
  });

  it('applies thresholds set for another currency to that currency only', () => {
    const usd = { ...DEFAULT_ALERT_PARAMETERS, currency: 'USD' };
    expect(
      largeInflowRule(SUBJECT, [], entry('t1', '500000.00', 0, { currency: 'USD' }), usd, calendar),
    ).toHaveLength(1);
    expect(largeInflowRule(SUBJECT, [], entry('t1', '500000.00', 0), usd, calendar)).toEqual([]);
  });

  it('no longer counts a reversed credit: the windows hold only entries still standing', () => {
    const standing = [entry('t1', '400000.00', 0)]; // t2 of 400000.00 was reversed and removed
    expect(rule(standing, entry('t3', '400000.00', 2))).toEqual([]);
  });

  it('uses the institution’s own window and thresholds', () => {
    const strict = {
      ...DEFAULT_ALERT_PARAMETERS,
      largeInflow: { singleAmount: '100000.00', windowTotal: '150000.00', windowHours: 2 },
    };
    const strictRule = (o: Parameters<typeof rule>[0], a: Parameters<typeof rule>[1]) =>
      largeInflowRule(SUBJECT, o, a, strict, calendar);
    expect(feed([entry('t1', '80000.00', 0), entry('t2', '80000.00', 1)], strictRule)).toEqual([
      '2025-03-01',
    ]);
    expect(feed([entry('t1', '80000.00', 0), entry('t2', '80000.00', 2)], strictRule)).toEqual([]);
  });
});
