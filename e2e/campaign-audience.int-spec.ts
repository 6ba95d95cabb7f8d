import request from 'supertest';
import { CustomerProfileChangedPayload, EventTypes, LifecycleStage, ValueTier } from '@crm/contracts';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { SmallBank, seedSmallBank, until } from '@crm/testing';
import { CAMPAIGN_SERVICE } from '../apps/campaign-service/src/service';
import { campaignDraft, launchCampaign } from '../apps/campaign-service/src/testing/campaign.fixture';
import { CUSTOMER_SERVICE } from '../apps/customer-service/src/service';

/**
 * Two services as deployed together: a campaign whose audience is a search is materialised by
 * campaign-service calling customer-service's StreamCustomerIds over gRPC with its own service token, in the
 * owner institution's subtree. Both consume the same topics, as they would the bank's.
 */
describe('a search audience materialised through customer-service', () => {
  const customer = new ServiceHarness(CUSTOMER_SERVICE, { name: 'audience' });
  let campaign: ServiceHarness;
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  const marketing = (sub: string) => `Bearer ${testToken({ sub, roles: [Role.Marketing], inst: bank.OUT1 })}`;

  beforeAll(async () => {
    await customer.start();
    campaign = new ServiceHarness(CAMPAIGN_SERVICE, {
      name: 'audience',
      topicPrefix: customer.topicPrefix,
      // The materialiser runs on the dispatch loop's schedule.
      env: { CUSTOMER_SERVICE_GRPC_ADDRESS: customer.grpcAddress, DISPATCH_INTERVAL_MS: '200' },
    });
    await campaign.start();
    http = request(campaign.app.getHttpServer());
    // customer-service has no use for the managers' events, so neither harness can count its events
    // drained: what both services learned is waited for instead.
    bank = await seedSmallBank(
      {
        suffix: customer.suffix,
        publishEvent: (...args) => customer.publishEvent(...args),
        drained: async () => {},
      },
      4,
    );
    const seeded = 2 * 4;
    for (const service of [campaign, customer])
      await until(
        async () =>
          (await service.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.coverage`))[0].n,
        (n) => n >= seeded,
        60_000,
      );
  }, 180_000);

  afterAll(async () => {
    await campaign?.destroy();
    await customer.destroy();
  });

  it('lists exactly the customers of the owner’s subtree the filter matches, each in one arm', async () => {
    const id = await launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      {
        owner: bank.OUT1,
        channels: ['sms'],
        product: 'TD-12M',
        controlShare: 0.5,
        audience: { kind: 'search', filter: { kind: 'individual' } },
      },
    );
    const ready = await until(
      async () => (await http.get(`/api/v1/campaigns/${id}`).set('authorization', marketing('alice'))).body,
      (c: { audienceReadyAt: string | null; audienceError: string | null }) =>
        c.audienceReadyAt !== null || c.audienceError !== null,
      60_000,
    );
    expect(ready).toMatchObject({ audienceError: null, audienceSize: bank.out1Customers.length });
    const targets = await campaign.query<{ customer_id: string; arm: string; source: string }>(
      `SELECT customer_id, arm, source FROM $schema.target WHERE campaign_id = $1 ORDER BY customer_id`,
      [id],
    );
    expect(targets.map((t) => t.customer_id)).toEqual([...bank.out1Customers].sort());
    expect(new Set(targets.map((t) => t.source))).toEqual(new Set(['search']));
    expect(targets.every((t) => t.arm === 'treatment' || t.arm === 'control')).toBe(true);
  });

  it('targets the value tiers and lifecycle stages analytics-service assigned: important and top tier, declining', async () => {
    const profiles: [string, ValueTier, LifecycleStage][] = [
      [bank.out1Customers[0], 'important', 'declining'],
      [bank.out1Customers[1], 'top', 'declining'],
      [bank.out1Customers[2], 'top', 'mature'],
      [bank.out1Customers[3], 'core', 'declining'],
      // Outside the owner's subtree.
      [bank.out2Customers[0], 'top', 'declining'],
    ];
    for (const [customerId, valueTier, lifecycleStage] of profiles)
      await customer.publishEvent(EventTypes.CustomerProfileChanged, customerId, {
        customerId,
        businessDate: '2026-03-02',
        valueTier,
        lifecycleStage,
        rfm: null,
        tags: [],
        churnScore: 40,
        churnReasons: [],
        computedAt: '2026-03-02T23:40:00.000+08:00',
      } satisfies CustomerProfileChangedPayload);
    await until(
      async () =>
        (await customer.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.analytic_profile`))[0].n,
      (n) => n >= profiles.length,
      60_000,
    );

    const id = await launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      {
        owner: bank.OUT1,
        channels: ['sms'],
        product: 'WM-90D',
        audience: {
          kind: 'search',
          filter: {
            valueTiers: ['important', 'top'],
            lifecycleStages: ['declining'],
            churnScore: { min: 30 },
          },
        },
      },
    );
    const ready = await until(
      async () => (await http.get(`/api/v1/campaigns/${id}`).set('authorization', marketing('alice'))).body,
      (c: { audienceReadyAt: string | null; audienceError: string | null }) =>
        c.audienceReadyAt !== null || c.audienceError !== null,
      60_000,
    );
    expect(ready).toMatchObject({ audienceError: null, audienceSize: 2 });
    const targets = await campaign.query<{ customer_id: string }>(
      `SELECT customer_id FROM $schema.target WHERE campaign_id = $1 ORDER BY customer_id`,
      [id],
    );
    expect(targets.map((t) => t.customer_id)).toEqual([bank.out1Customers[0], bank.out1Customers[1]].sort());
  });

  it('refuses a campaign whose audience names a tier the contract does not know', async () => {
    const res = await http
      .post('/api/v1/campaigns')
      .set('authorization', marketing('alice'))
      .send(
        campaignDraft({
          owner: bank.OUT1,
          channels: ['sms'],
          product: 'WM-90D',
          audience: { kind: 'search', filter: { valueTiers: ['platinum'], lifecycleStages: ['declining'] } },
        }),
      )
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('audience.filter.valueTiers');
  });

  it('records why an audience cannot be made, instead of retrying for ever', async () => {
    const id = await launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      {
        owner: bank.OUT1,
        channels: ['sms'],
        product: 'TD-12M',
        // A range customer-service refuses (the minimum above the maximum): the search itself is invalid.
        audience: { kind: 'search', filter: { aum: { min: '500000.00', max: '100.00' } } },
      },
    );
    const failed = await until(
      async () => (await http.get(`/api/v1/campaigns/${id}`).set('authorization', marketing('alice'))).body,
      (c: { audienceReadyAt: string | null; audienceError: string | null }) =>
        c.audienceReadyAt !== null || c.audienceError !== null,
      60_000,
    );
    expect(failed.audienceReadyAt).toBeNull();
    expect(failed.audienceError).toMatch(/customer-service refused/);
  });
});
