import {
  MonthlyTables,
  firstRetainedMonth,
  monthOfPartitionName,
  monthPartition,
  monthsBefore,
  partitionOfDate,
} from './month-partition.rule';

const FACTS = MonthlyTables.TransactionFact;

describe('month partitions', () => {
  it('names a month’s partition after its table and holds the month’s dates, the next month’s first excluded', () => {
    expect(monthPartition(FACTS, '2025-03')).toEqual({
      table: FACTS,
      month: '2025-03',
      name: 'transaction_fact_2025_03',
      from: '2025-03-01',
      to: '2025-04-01',
    });
  });

  it('runs December into the next year', () => {
    expect(monthPartition(FACTS, '2024-12')).toMatchObject({ from: '2024-12-01', to: '2025-01-01' });
  });

  it('puts the last and the first day of a month each in its own month', () => {
    expect(partitionOfDate(FACTS, '2024-02-29').name).toBe('transaction_fact_2024_02');
    expect(partitionOfDate(FACTS, '2024-03-01').name).toBe('transaction_fact_2024_03');
  });

  it('refuses what is not a month', () => {
    expect(() => monthPartition(FACTS, '2025-13')).toThrow(RangeError);
    expect(() => monthPartition(FACTS, '2025-3')).toThrow(RangeError);
  });

  it('reads the month back from a partition’s name, and nothing from other tables’ names', () => {
    expect(monthOfPartitionName(FACTS, 'transaction_fact_2025_03')).toBe('2025-03');
    expect(monthOfPartitionName(FACTS, 'transaction_fact_2025_13')).toBeUndefined();
    expect(monthOfPartitionName(FACTS, 'transaction_fact')).toBeUndefined();
    expect(monthOfPartitionName(FACTS, 'daily_balance_2025_03')).toBeUndefined();
    expect(monthOfPartitionName(FACTS, 'transaction_fact_2025_03_old')).toBeUndefined();
  });

  it('keeps the current month and the months before it that the retention names', () => {
    expect(firstRetainedMonth('2025-03-31', 13)).toBe('2024-03');
    expect(firstRetainedMonth('2025-03-01', 1)).toBe('2025-03');
    expect(firstRetainedMonth('2025-01-15', 2)).toBe('2024-12');
  });

  it('detaches the months strictly before the one named, oldest first', () => {
    expect(monthsBefore(['2024-03', '2023-12', '2024-02', '2024-01'], '2024-02')).toEqual([
      '2023-12',
      '2024-01',
    ]);
    expect(monthsBefore(['2024-03'], '2024-03')).toEqual([]);
  });
});
