import Redis from 'ioredis';
import { BusinessCalendar } from '@crm/calendar';
import { MarketingChannel } from '@crm/contracts';
import { testStack, uniqueSuffix } from '@crm/testing';
import { CampaignServiceConfig } from '../app.config';
import { ContactCounterStore, ReserveResult } from './contact-counter.store';
import { CountedContact, counterChecks } from './contact-counters.rule';
import { ContactPolicy } from './contact-policy.rule';

const calendar = new BusinessCalendar('Asia/Shanghai');
const NOW = Date.parse('2026-11-24T10:00:00+08:00');
const HOUR = 3_600_000;

/** At most one contact a day per customer, one SMS a week per phone number, two manager calls a day. */
const POLICY: ContactPolicy = {
  caps: [
    { subject: 'customer', channel: null, period: 'day', max: 1 },
    { subject: 'phone', channel: MarketingChannel.Sms, period: 'week', max: 1 },
  ],
  quietHours: [],
  declineCoolingDays: 30,
  dailyCapacity: {},
  managerDailyTasks: 2,
};

describe('ContactCounterStore (Redis)', () => {
  let redis: Redis;
  let store: ContactCounterStore;
  let prefix: string;

  beforeAll(async () => {
    redis = new Redis(testStack.redisUrl);
    const config = new CampaignServiceConfig();
    prefix = `test:counters:${uniqueSuffix()}:`;
    config.REDIS_KEY_PREFIX = prefix;
    config.POLICY_REBUILD_GRACE_MS = 0;
    store = new ContactCounterStore(redis, calendar, config);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  let sequence = 0;
  const contact = (
    customerId: string,
    channel: MarketingChannel,
    more: Partial<CountedContact> = {},
  ): CountedContact => ({
    contactId: `${(++sequence).toString(16).padStart(8, '1')}-0000-4000-8000-000000000000`,
    customerId,
    channel,
    phoneHash: null,
    emailHash: null,
    managerId: null,
    at: NOW,
    ...more,
  });
  const noLedger = async function* (): AsyncGenerator<CountedContact[]> {};
  const reserve = (c: CountedContact): Promise<ReserveResult> =>
    store.reserve(c, counterChecks(POLICY, c, calendar), noLedger);
  const outcome = (r: ReserveResult): string => (r.reserved ? 'reserved' : r.blockedBy.reason);

  it('judges contacts of different shapes in one call, in order, each seeing the ones before it', async () => {
    // An empty ledger: the counters are rebuilt (from nothing) before the first reservation.
    const sharedPhone = `phone-${uniqueSuffix()}`;
    const results = await Promise.all([
      reserve(contact('C1', MarketingChannel.Sms, { phoneHash: sharedPhone })),
      reserve(contact('C2', MarketingChannel.Sms)),
      reserve(contact('C3', MarketingChannel.Sms, { phoneHash: sharedPhone })),
      reserve(contact('C1', MarketingChannel.AppPush)),
      reserve(contact('C4', MarketingChannel.PhoneCall, { managerId: 'M1' })),
      reserve(contact('C5', MarketingChannel.PhoneCall, { managerId: 'M1' })),
      reserve(contact('C6', MarketingChannel.ManagerTask, { managerId: 'M1' })),
      reserve(contact('C3', MarketingChannel.AppPush, { phoneHash: sharedPhone })),
    ]);
    expect(results.map(outcome)).toEqual([
      'reserved',
      'reserved',
      'cap:phone:sms:week',
      'cap:customer:*:day',
      'reserved',
      'reserved',
      'capacity:manager',
      'reserved',
    ]);
  });

  it('counts a retried contact once, and lets the window pass', async () => {
    const first = contact('C7', MarketingChannel.Sms);
    expect(outcome(await reserve(first))).toBe('reserved');
    // The same contact again (a dispatch retried after a crash): accepted, not counted twice.
    expect(outcome(await reserve({ ...first }))).toBe('reserved');
    expect(await redis.zcard(`${prefix}contacts:customer:C7:*`)).toBe(1);
    expect(outcome(await reserve(contact('C7', MarketingChannel.Email, { at: NOW + HOUR })))).toBe(
      'cap:customer:*:day',
    );
    expect(outcome(await reserve(contact('C7', MarketingChannel.Email, { at: NOW + 24 * HOUR + 1 })))).toBe(
      'reserved',
    );
  });
});
