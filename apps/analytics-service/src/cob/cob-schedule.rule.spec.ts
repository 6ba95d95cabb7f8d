import { BusinessCalendar } from '@crm/calendar';
import { cronOf, scheduledBusinessDate } from './cob-schedule.rule';

describe('the close-of-business schedule', () => {
  it.each([
    ['23:30', '30 23 * * *'],
    ['00:05', '5 0 * * *'],
    ['30 23 * * *', '30 23 * * *'],
    ['  0   1 * * 1-5 ', '0 1 * * 1-5'],
    ['*/2 * * * * *', '*/2 * * * * *'],
    ['0 30 23 1,15 * 0', '0 30 23 1,15 * 0'],
    ['off', null],
  ])('reads %j as the cron pattern %j', (value, pattern) => {
    expect(cronOf(value)).toBe(pattern);
  });

  it.each([
    '24:00',
    '7:30',
    '23:60',
    '',
    'daily',
    '30 23 * *',
    '60 23 * * *',
    '30 24 * * *',
    '30 23 0 * *',
    '30 23 * 13 *',
    '30 23 * * 8',
    '30 23 * * MON',
    '30 23 5-1 * *',
    '*/0 * * * *',
    '0 0 30 23 * * *',
  ])('refuses %j', (value) => {
    expect(cronOf(value)).toBeUndefined();
  });

  it('closes the date it fires on in the bank’s zone, or the one before for a run after midnight', () => {
    const shanghai = new BusinessCalendar('Asia/Shanghai');
    // 23:30 in Shanghai on 31 March is 15:30 UTC the same day; 00:30 on 1 April is 16:30 UTC on 31 March.
    expect(scheduledBusinessDate(Date.parse('2024-03-31T15:30:00Z'), 'today', shanghai)).toBe('2024-03-31');
    expect(scheduledBusinessDate(Date.parse('2024-03-31T16:30:00Z'), 'today', shanghai)).toBe('2024-04-01');
    expect(scheduledBusinessDate(Date.parse('2024-03-31T16:30:00Z'), 'yesterday', shanghai)).toBe(
      '2024-03-31',
    );
  });
});
