import {
  addDays,
  addMonths,
  ageOn,
  dayOfMonth,
  daysBetween,
  monthOf,
  nextDayOfMonth,
} from './calendar-dates';

describe('business date arithmetic', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('adds months clamped to the end of shorter months', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-15', -12)).toBe('2024-03-15');
    expect(addMonths('2028-02-29', -12)).toBe('2027-02-28');
  });

  it('finds the next statement day and counts days and ages', () => {
    expect(nextDayOfMonth('2025-03-05', 5)).toBe('2025-03-05');
    expect(nextDayOfMonth('2025-03-06', 5)).toBe('2025-04-05');
    expect(daysBetween('2025-02-27', '2025-03-01')).toBe(2);
    expect(ageOn('1990-03-07', '2025-03-06')).toBe(34);
    expect(ageOn('1990-03-07', '2025-03-07')).toBe(35);
    expect(dayOfMonth('2025-03-07')).toBe(7);
    expect(monthOf('2025-03-07')).toBe('2025-03');
  });

  it('refuses what is not a date', () => {
    expect(() => addDays('2025-3-1', 1)).toThrow('not a YYYY-MM-DD date');
  });
});
