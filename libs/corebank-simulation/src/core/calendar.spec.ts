import { addMonths, ageOn, cstAt, cstDateOf, daysBetween, nextDayOfMonth, toTimestamp } from './calendar';

describe('calendar (China Standard Time)', () => {
  it('formats instants with the +08:00 offset and dates them in CST', () => {
    const instant = Date.parse('2025-02-28T17:30:00Z');
    expect(toTimestamp(instant)).toBe('2025-03-01T01:30:00.000+08:00');
    expect(cstDateOf(instant)).toBe('2025-03-01');
    expect(cstAt('2025-03-01', 1, 30)).toBe(instant);
  });

  it('adds months clamped to the end of shorter months', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-15', -12)).toBe('2024-03-15');
  });

  it('finds the next statement day and counts days and ages', () => {
    expect(nextDayOfMonth('2025-03-05', 5)).toBe('2025-03-05');
    expect(nextDayOfMonth('2025-03-06', 5)).toBe('2025-04-05');
    expect(daysBetween('2025-02-27', '2025-03-01')).toBe(2);
    expect(ageOn('1990-03-07', '2025-03-06')).toBe(34);
    expect(ageOn('1990-03-07', '2025-03-07')).toBe(35);
  });
});
