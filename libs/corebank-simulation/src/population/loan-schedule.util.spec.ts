import Decimal from 'decimal.js';
import { RepaymentMethod } from '@crm/contracts';
import { buildSchedule } from './loan-schedule.util';

const totalPrincipal = (schedule: { principal: string }[]) =>
  schedule.reduce((sum, i) => sum.plus(i.principal), new Decimal(0)).toFixed(2);

describe('buildSchedule', () => {
  it.each(Object.values(RepaymentMethod))('repays exactly the principal (%s)', (method) => {
    const schedule = buildSchedule({
      principal: '100000.00',
      annualRate: '0.0435',
      disbursedOn: '2025-01-31',
      firstDueDate: '2025-02-28',
      instalments: 12,
      method,
    });
    expect(schedule).toHaveLength(12);
    expect(totalPrincipal(schedule)).toBe('100000.00');
    expect(schedule.map((i) => i.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(schedule[11].dueDate).toBe('2026-01-28');
  });

  it('charges actual/360 interest on the outstanding principal', () => {
    const [first, second] = buildSchedule({
      principal: '120000.00',
      annualRate: '0.0450',
      disbursedOn: '2025-01-01',
      firstDueDate: '2025-02-01',
      instalments: 12,
      method: RepaymentMethod.EqualPrincipal,
    });
    // 120000 x 0.045 x 31 / 360 = 465.00; then 110000 x 0.045 x 28 / 360 = 385.00
    expect(first).toEqual({ sequence: 1, dueDate: '2025-02-01', principal: '10000.00', interest: '465.00' });
    expect(second.interest).toBe('385.00');
  });
});
