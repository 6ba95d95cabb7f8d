import { cstAt, cstDateOf, toTimestamp } from './calendar';

describe('the simulated bank’s calendar (China Standard Time)', () => {
  it('formats instants with the +08:00 offset and dates them in CST', () => {
    const instant = Date.parse('2025-02-28T17:30:00Z');
    expect(toTimestamp(instant)).toBe('2025-03-01T01:30:00.000+08:00');
    expect(cstDateOf(instant)).toBe('2025-03-01');
    expect(cstAt('2025-03-01', 1, 30)).toBe(instant);
  });
});
