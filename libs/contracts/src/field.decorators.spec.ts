import { isCalendarDate, TIMESTAMP } from './field.decorators';

describe('date fields', () => {
  it.each(['2024-02-29', '2025-12-31', '1949-10-01'])('%s is a calendar date', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00:00Z', 20250101])(
    '%s is not',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );

  it('timestamps carry a zone', () => {
    expect(TIMESTAMP.test('2025-03-01T09:30:00.000+08:00')).toBe(true);
    expect(TIMESTAMP.test('2025-03-01T01:30:00Z')).toBe(true);
    expect(TIMESTAMP.test('2025-03-01T09:30:00')).toBe(false);
    expect(TIMESTAMP.test('2025-03-01')).toBe(false);
  });
});
