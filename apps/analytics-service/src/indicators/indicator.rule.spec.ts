import { ASSET_KINDS, DEPOSIT_KINDS, PRODUCT_KINDS, periodsOf } from './indicator.rule';

describe('indicator periods', () => {
  it('counts every calendar day of the month, quarter and year to date, the date included', () => {
    expect(periodsOf('2024-03-31')).toEqual({
      businessDate: '2024-03-31',
      monthStart: '2024-03-01',
      quarterStart: '2024-01-01',
      yearStart: '2024-01-01',
      last30From: '2024-03-02',
      last90From: '2024-01-02',
      prev90From: '2023-10-04',
      prev90To: '2024-01-01',
      // AUM 30 days before; the 90 days before the last 30 run from here to monthBefore.
      monthBefore: '2024-03-01',
      prior90From: '2023-12-03',
      earliest: '2023-10-04',
      daysMtd: 31,
      daysQtd: 91,
      daysYtd: 91,
    });
  });

  it('starts a month, a quarter and a year over on their first day', () => {
    expect(periodsOf('2024-04-01')).toMatchObject({
      monthStart: '2024-04-01',
      quarterStart: '2024-04-01',
      daysMtd: 1,
      daysQtd: 1,
      daysYtd: 92,
    });
    expect(periodsOf('2025-01-01')).toMatchObject({ daysMtd: 1, daysQtd: 1, daysYtd: 1 });
  });

  it('finds each quarter’s first month', () => {
    expect(
      ['2024-02-29', '2024-05-15', '2024-09-30', '2024-12-31'].map((d) => periodsOf(d).quarterStart),
    ).toEqual(['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01']);
  });

  it('reads from the year start when it is earlier than the 180 days of the AUM trend', () => {
    expect(periodsOf('2024-12-31').earliest).toBe('2024-01-01');
  });

  it('counts six product kinds; deposits in AUM, wealth only in AUM', () => {
    expect(PRODUCT_KINDS).toHaveLength(6);
    expect(DEPOSIT_KINDS).not.toContain('wealth-product');
    expect(ASSET_KINDS).toEqual([...DEPOSIT_KINDS, 'wealth-product']);
  });
});
