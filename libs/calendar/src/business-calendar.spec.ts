import { BusinessCalendar } from './business-calendar';

describe('BusinessCalendar', () => {
  describe('in the default zone (China Standard Time)', () => {
    const calendar = new BusinessCalendar();

    it('dates an instant by the bank’s wall clock, not UTC', () => {
      // 00:30 in Hangzhou is still the previous day in UTC: the hours a UTC date gets wrong.
      expect(calendar.dateOf('2026-06-01T16:30:00Z')).toBe('2026-06-02');
      expect(calendar.dateOf('2026-06-02T00:30:00+08:00')).toBe('2026-06-02');
      expect(calendar.dateOf(Date.parse('2026-06-01T15:59:59.999Z'))).toBe('2026-06-01');
      expect(calendar.today(Date.parse('2026-11-27T23:00:00Z'))).toBe('2026-11-28');
    });

    it('knows when a day and a month begin', () => {
      expect(new Date(calendar.startOf('2026-06-02')).toISOString()).toBe('2026-06-01T16:00:00.000Z');
      expect(new Date(calendar.at('2025-03-01', 1, 30)).toISOString()).toBe('2025-02-28T17:30:00.000Z');
      const { start, end } = calendar.monthSpan('2026-02');
      expect(new Date(start).toISOString()).toBe('2026-01-31T16:00:00.000Z');
      expect(new Date(end).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    });

    it('writes timestamps with the +08:00 offset', () => {
      expect(calendar.timestamp(Date.parse('2025-02-28T17:30:00Z'))).toBe('2025-03-01T01:30:00.000+08:00');
    });
  });

  describe('in a zone with daylight saving (a bank elsewhere)', () => {
    const calendar = new BusinessCalendar('America/New_York');

    it('follows the offset in force on each day', () => {
      expect(new Date(calendar.startOf('2026-03-08')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
      expect(new Date(calendar.startOf('2026-03-09')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
      expect(calendar.dateOf('2026-03-09T03:59:00Z')).toBe('2026-03-08');
      expect(calendar.timestamp(Date.parse('2026-07-01T12:00:00Z'))).toBe('2026-07-01T08:00:00.000-04:00');
    });
  });

  it('refuses an unknown zone and what is not an instant', () => {
    expect(() => new BusinessCalendar('Mars/Olympus')).toThrow('unknown time zone');
    expect(() => new BusinessCalendar().dateOf('yesterday')).toThrow('not an instant');
  });
});
