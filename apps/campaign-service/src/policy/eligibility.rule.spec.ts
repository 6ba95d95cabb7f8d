import { MS_PER_DAY } from '@crm/calendar';
import { ConsentChannel, MarketingChannel } from '@crm/contracts';
import type { CustomerFacts } from '../customers/customer-facts.repository';
import { DEFAULT_CONTACT_POLICY } from './contact-policy.rule';
import { ineligibility } from './eligibility.rule';

const now = Date.parse('2026-03-02T10:00:00+08:00');
const facts = (over: Partial<CustomerFacts> = {}): CustomerFacts => ({
  customerId: 'C1',
  optedOut: new Set(),
  doNotContact: null,
  phoneHash: null,
  emailHash: null,
  heldProducts: new Set(),
  declinedAt: new Map(),
  tagScores: new Map(),
  productKinds: new Map(),
  ...over,
});
const judge = (
  f: CustomerFacts | undefined,
  channel: MarketingChannel = MarketingChannel.Sms,
  products = ['TD-3Y'],
) => ineligibility(f, channel, products, DEFAULT_CONTACT_POLICY, now);

describe('ineligibility', () => {
  it('lets a customer with nothing against them through to the counters', () => {
    expect(judge(facts())).toBeNull();
    expect(judge(undefined)).toBeNull();
  });

  it('never contacts on a channel the customer opted out of, and only that channel', () => {
    const optedOut = facts({ optedOut: new Set([ConsentChannel.Sms]) });
    expect(judge(optedOut)).toBe('opted-out');
    expect(judge(optedOut, MarketingChannel.AppPush)).toBeNull();
    expect(judge(facts({ optedOut: new Set([ConsentChannel.Phone]) }), MarketingChannel.ManagerTask)).toBe(
      'opted-out',
    );
  });

  it('offers in the lobby to a customer who opted out of SMS: they came themselves', () => {
    expect(
      judge(facts({ optedOut: new Set([ConsentChannel.Sms, ConsentChannel.Phone]) }), MarketingChannel.Lobby),
    ).toBeNull();
  });

  it('stops at the do-not-contact list, naming its reason', () => {
    expect(judge(facts({ doNotContact: 'complaint' }), MarketingChannel.Lobby)).toBe(
      'do-not-contact:complaint',
    );
  });

  it('does not offer what the customer holds already', () => {
    expect(judge(facts({ heldProducts: new Set(['TD-3Y']) }))).toBe('already-holds-product');
    expect(
      judge(facts({ heldProducts: new Set(['TD-3Y']) }), MarketingChannel.Sms, ['TD-3Y', 'WM-90D']),
    ).toBeNull();
  });

  it('cools off a declined product for the policy’s days, then offers it again', () => {
    const declined = (daysAgo: number) =>
      facts({ declinedAt: new Map([['TD-3Y', now - daysAgo * MS_PER_DAY]]) });
    expect(judge(declined(29))).toBe('declined-recently');
    expect(judge(declined(31))).toBeNull();
  });
});
