import { periodDays, periodErrors, ranked, sameYear } from './league-table.rule';

describe('league table rules', () => {
  it('reads a period within one year, or from the eve of its year', () => {
    expect(periodErrors('2024-01-31', '2024-03-31')).toEqual([]);
    expect(periodErrors('2023-12-31', '2024-03-31')).toEqual([]);
    expect(periodErrors('2023-12-30', '2024-03-31').map((e) => e.field)).toEqual(['from']);
    expect(periodErrors('2024-03-31', '2024-03-31').map((e) => e.field)).toEqual(['to']);
    expect(periodErrors('2024-04-01', '2024-03-31').map((e) => e.field)).toEqual(['to']);
    expect([periodDays('2023-12-31', '2024-03-31'), sameYear('2023-12-31', '2024-03-31')]).toEqual([
      91,
      false,
    ]);
    expect([periodDays('2024-02-28', '2024-03-01'), sameYear('2024-02-28', '2024-03-01')]).toEqual([2, true]);
  });

  it('ranks highest first, equal values sharing a rank, ties in key order', () => {
    const rows = [
      { key: 'M3', growth: '100.00' },
      { key: 'M1', growth: '-5.00' },
      { key: 'M4', growth: '250.50' },
      { key: 'M2', growth: '100.00' },
    ];
    expect(
      ranked(
        rows,
        (r) => r.growth,
        (r) => r.key,
      ).map(({ row, rank }) => [row.key, rank]),
    ).toEqual([
      ['M4', 1],
      ['M2', 2],
      ['M3', 2],
      ['M1', 4],
    ]);
  });
});
