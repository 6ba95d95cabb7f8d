import { BusinessCalendar } from '@crm/calendar';
import { MarketingChannel } from '@crm/contracts';
import {
  CapPeriod,
  CapSubject,
  ContactPolicy,
  DEFAULT_CONTACT_POLICY,
  looseningsOf,
  nextAllowedTime,
  tightenPolicy,
} from './contact-policy.rule';

const shanghai = new BusinessCalendar('Asia/Shanghai');
const at = (iso: string) => Date.parse(iso);
const smsNights = [{ channel: MarketingChannel.Sms, from: '21:00', to: '08:00' }];

describe('nextAllowedTime', () => {
  it('lets a contact outside quiet hours go at once', () => {
    const noon = at('2026-03-02T12:00:00+08:00');
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Sms, noon)).toBe(noon);
  });

  it('defers a contact due at night to the morning, across midnight', () => {
    const evening = at('2026-03-02T22:30:00+08:00');
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Sms, evening)).toBe(
      at('2026-03-03T08:00:00+08:00'),
    );
    const earlyMorning = at('2026-03-03T06:00:00+08:00');
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Sms, earlyMorning)).toBe(
      at('2026-03-03T08:00:00+08:00'),
    );
  });

  it('treats the window as [from, to): 21:00 is quiet, 08:00 is not', () => {
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Sms, at('2026-03-02T21:00:00+08:00'))).toBe(
      at('2026-03-03T08:00:00+08:00'),
    );
    const eight = at('2026-03-03T08:00:00+08:00');
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Sms, eight)).toBe(eight);
  });

  it('ignores other channels’ windows', () => {
    const night = at('2026-03-02T23:00:00+08:00');
    expect(nextAllowedTime(shanghai, smsNights, MarketingChannel.Lobby, night)).toBe(night);
  });

  it('leaves overlapping windows at the end of the last', () => {
    const windows = [...smsNights, { channel: MarketingChannel.Sms, from: '07:30', to: '09:00' }];
    expect(nextAllowedTime(shanghai, windows, MarketingChannel.Sms, at('2026-03-02T23:00:00+08:00'))).toBe(
      at('2026-03-03T09:00:00+08:00'),
    );
  });

  it('reads the wall clock of a daylight-saving zone on the day clocks move', () => {
    const newYork = new BusinessCalendar('America/New_York');
    // 2026-03-08: clocks go from 02:00 to 03:00; 07:00 local is then UTC-4.
    const night = at('2026-03-08T01:30:00-05:00');
    expect(nextAllowedTime(newYork, smsNights, MarketingChannel.Sms, night)).toBe(
      at('2026-03-08T08:00:00-04:00'),
    );
  });
});

describe('tightenPolicy', () => {
  const outlet: ContactPolicy = {
    caps: [
      { subject: CapSubject.Customer, channel: null, period: CapPeriod.Week, max: 2 },
      { subject: CapSubject.Customer, channel: null, period: CapPeriod.Day, max: 5 },
    ],
    quietHours: [{ channel: MarketingChannel.Sms, from: '12:00', to: '13:30' }],
    declineCoolingDays: 60,
    dailyCapacity: { [MarketingChannel.Sms]: 1_000 },
    managerDailyTasks: 40,
  };

  it('takes the stricter of every setting and every quiet window of both', () => {
    const effective = tightenPolicy(DEFAULT_CONTACT_POLICY, outlet);
    const cap = (period: CapPeriod) =>
      effective.caps.find(
        (c) => c.subject === CapSubject.Customer && c.channel === null && c.period === period,
      )?.max;
    expect(cap(CapPeriod.Week)).toBe(2);
    expect(cap(CapPeriod.Day)).toBe(1);
    expect(effective.quietHours).toHaveLength(DEFAULT_CONTACT_POLICY.quietHours.length + 1);
    expect(effective.declineCoolingDays).toBe(60);
    expect(effective.dailyCapacity[MarketingChannel.Sms]).toBe(1_000);
    expect(effective.managerDailyTasks).toBe(DEFAULT_CONTACT_POLICY.managerDailyTasks);
  });

  it('names what a tightening would loosen', () => {
    expect(looseningsOf(DEFAULT_CONTACT_POLICY, outlet)).toEqual(['caps.1.max', 'managerDailyTasks']);
  });
});
