import request from 'supertest';
import {
  CUSTOMER_PROTO,
  CustomerProfileChangedPayload,
  EventHeaders,
  EventTypes,
  ProfileTag,
  Topics,
  deadLetterTopicOf,
} from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { Role } from '@crm/security';
import { GrpcTestClient, ServiceHarness, testToken } from '@crm/service-harness';
import { EventProbe, until } from '@crm/testing';
import { status } from '@grpc/grpc-js';
import { EntityManager } from 'typeorm';
import { ProjectionService } from '../projection/projection.service';
import { CUSTOMER_SERVICE } from '../service';
import { AnalyticProfileService } from './analytic-profile.service';
import { smallBank } from '../testing/small-bank.fixture';

/** analytics-service's profiles (crm.analytics.profile) in the search filters and the 360 view. */
describe('analytic profiles from crm.analytics.profile', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, { name: 'analytics' });
  const bank = smallBank(h.clock, h.suffix, 53);
  const { CA, CB, CC } = bank.ids;
  /** Profiled before core banking registers them. */
  const CD = `CD${h.suffix}`;
  const admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
  /** O21 is CA's secondary institution: it sees CA's holdings there only. */
  const secondaryHead = testToken({ roles: [Role.InstitutionHead], inst: 'O21' });
  const http = () => request(h.app.getHttpServer());
  let grpc: GrpcTestClient;

  const profile = (
    customerId: string,
    businessDate: string,
    over: Partial<CustomerProfileChangedPayload> = {},
  ): CustomerProfileChangedPayload => ({
    customerId,
    businessDate,
    valueTier: 'core',
    lifecycleStage: 'mature',
    rfm: { recency: 3, frequency: 3, monetary: 3, segment: 'steady' },
    tags: [],
    churnScore: 10,
    churnReasons: [],
    computedAt: `${businessDate}T23:40:00.000+08:00`,
    ...over,
  });
  const publishProfile = (p: object) =>
    h.publishEvent(EventTypes.CustomerProfileChanged, (p as { customerId: string }).customerId, p);

  const search = async (filter: object, token = admin): Promise<string[]> => {
    const res = await http()
      .post('/api/v1/customers/search')
      .set('Authorization', `Bearer ${token}`)
      .send({ filter })
      .expect(200);
    return res.body.items.map((i: { id: string }) => i.id);
  };
  const view360 = async (customerId: string, token = admin) =>
    (
      await http()
        .get(`/api/v1/customers/${customerId}/360`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body;

  const wealthTag: ProfileTag = {
    tag: 'wealth-management',
    score: 88,
    facts: ['demand deposits 1000.00 CNY idle for 90 days', 'no wealth-management product held'],
  };

  beforeAll(async () => {
    await h.start();
    await h.publish(...bank.events);
    await publishProfile(
      profile(CA, '2026-03-02', {
        valueTier: 'important',
        lifecycleStage: 'declining',
        tags: [{ tag: 'loan', score: 35, facts: ['salary credited monthly'] }, wealthTag],
        churnScore: 71,
        churnReasons: ['aum-fall', 'transfers-to-other-banks'],
      }),
    );
    await publishProfile(profile(CB, '2026-03-02', { valueTier: 'top', lifecycleStage: 'mature' }));
    await publishProfile(profile(CC, '2026-03-02', { valueTier: 'mass', lifecycleStage: 'declining' }));
    await publishProfile(profile(CD, '2026-03-02', { valueTier: 'important', lifecycleStage: 'new' }));
    await h.drained();
    await h.publishEvent(EventTypes.CustomerRegistered, CD, { ...bank.customers.CB, customerId: CD });
    await h.publishEvent(EventTypes.CoverageChanged, CD, {
      customerId: CD,
      version: 1,
      primary: { institutionId: 'O31', managerId: 'M31', reason: 'deposit', basis: 'automatic' },
      secondary: [],
      keyCustomer: false,
      privateBankerId: null,
      changedAt: new Date(h.clock.now).toISOString(),
      changedBy: 'system',
      note: 'rules',
    });
    await h.drained();
    grpc = new GrpcTestClient(h.grpcAddress, CUSTOMER_PROTO, 'CustomerService');
  });

  afterAll(async () => {
    grpc?.close();
    await h.destroy();
  });

  it('finds exactly the customers of the tiers asked for, and of the stages', async () => {
    expect(await search({ valueTiers: ['top', 'important'] })).toEqual([CA, CB, CD].sort());
    expect(await search({ lifecycleStages: ['declining'] })).toEqual([CA, CC].sort());
    expect(await search({ valueTiers: ['important', 'top'], lifecycleStages: ['declining'] })).toEqual([CA]);
    expect(await search({ valueTiers: ['core'] })).toEqual([]);
  });

  it('gives a customer registered after their profile the tier and stage it named', async () => {
    const view = await view360(CD);
    expect(view.profile).toMatchObject({ valueTier: 'important', lifecycleStage: 'new' });
    expect(await search({ lifecycleStages: ['new'] })).toEqual([CD]);
  });

  it('finds customers by potential tag and by churn score', async () => {
    expect(await search({ tags: ['wealth-management'] })).toEqual([CA]);
    expect(await search({ churnScore: { min: 60 } })).toEqual([CA]);
    expect(await search({ churnScore: { max: 10 } })).toEqual([CB, CC, CD].sort());
  });

  it('carries the whole profile in the 360 view, the facts to the primary side only', async () => {
    const view = await view360(CA);
    expect(view.profile).toMatchObject({ valueTier: 'important', lifecycleStage: 'declining' });
    expect(view.analytics).toEqual({
      asOf: '2026-03-02',
      computedAt: '2026-03-02T15:40:00.000Z',
      valueTier: 'important',
      lifecycleStage: 'declining',
      rfm: { recency: 3, frequency: 3, monetary: 3, segment: 'steady' },
      tags: [wealthTag, { tag: 'loan', score: 35, facts: ['salary credited monthly'] }],
      churnScore: 71,
      churnReasons: ['aum-fall', 'transfers-to-other-banks'],
    });
    expect(view.tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tag: 'wealth-management',
          kind: 'analytic',
          source: 'analytics-service',
          score: '88.0000',
        }),
      ]),
    );

    const secondary = await view360(CA, secondaryHead);
    expect(secondary.analytics.tags).toEqual([
      { tag: 'wealth-management', score: 88, facts: null },
      { tag: 'loan', score: 35, facts: null },
    ]);
  });

  it('refuses tiers and stages the contract does not know, naming the field', async () => {
    const res = await http()
      .post('/api/v1/customers/search')
      .set('Authorization', `Bearer ${admin}`)
      .send({ filter: { valueTiers: ['platinum'], lifecycleStages: ['mature'] } })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('filter.valueTiers');
  });

  it('filters by tier, stage and churn score over gRPC too (SearchCustomers, StreamCustomerIds)', async () => {
    const system = testToken({ roles: [Role.System], inst: 'HO' });
    const page = await grpc.call<{ items: { id: string }[] }>(
      'SearchCustomers',
      { valueTiers: ['important', 'top'], churnScore: { max: 50 } },
      system,
    );
    expect(page.code).toBe(status.OK);
    expect(page.response!.items.map((i) => i.id)).toEqual([CB, CD].sort());

    const streamed = await grpc.collect<{ customers: { id: string }[] }>(
      'StreamCustomerIds',
      { filter: { lifecycleStages: ['declining'], valueTiers: ['mass'] } },
      system,
    );
    expect(streamed.code).toBe(status.OK);
    expect(streamed.response!.flatMap((b) => b.customers.map((c) => c.id))).toEqual([CC]);

    const refused = await grpc.call('SearchCustomers', { lifecycleStages: ['dormant'] }, system);
    expect(refused).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(refused.message).toContain('lifecycleStages');
  });

  it('keeps the latest business date: an older profile arriving late changes nothing, a newer one replaces it', async () => {
    await publishProfile(
      profile(CA, '2026-03-01', { valueTier: 'mass', lifecycleStage: 'growing', churnScore: 5 }),
    );
    await h.drained();
    expect(await search({ valueTiers: ['mass'] })).toEqual([CC]);
    expect((await view360(CA)).analytics).toMatchObject({ asOf: '2026-03-02', churnScore: 71 });

    await publishProfile(profile(CA, '2026-03-03', { valueTier: 'top', lifecycleStage: 'mature' }));
    await h.drained();
    expect(await search({ valueTiers: ['top'] })).toEqual([CA, CB].sort());
    expect(await search({ tags: ['wealth-management'] })).toEqual([]);
    const view = await view360(CA);
    expect(view.analytics).toMatchObject({ asOf: '2026-03-03', tags: [], churnScore: 10 });
    expect(view.tags.filter((t: { kind: string }) => t.kind === 'analytic')).toEqual([]);
  });

  it('gives the tier to a customer whose registration and profile commit at the same moment, either first', async () => {
    const registration = (customerId: string) => (tx: EntityManager) =>
      h.app
        .get(ProjectionService)
        .customerProfile(tx, { ...bank.customers.CB, customerId }, new Date(h.clock.now));
    const profiled = (customerId: string) => (tx: EntityManager) =>
      h.app
        .get(AnalyticProfileService)
        .profileChanged(tx, profile(customerId, '2026-03-02', { valueTier: 'top' }));
    const tierOf = async (customerId: string) =>
      (
        await h.query<{ value_tier: string }>(`SELECT value_tier FROM $schema.customer WHERE id = $1`, [
          customerId,
        ])
      )[0].value_tier;

    for (const [customerId, first, second] of [
      [`CE${h.suffix}`, registration, profiled],
      [`CF${h.suffix}`, profiled, registration],
    ] as const) {
      const open = h.dataSource.createQueryRunner();
      await open.startTransaction();
      try {
        await first(customerId)(open.manager);
        const other = h.dataSource.transaction(second(customerId));
        // Long enough for the other transaction to run its statements, were it not made to wait.
        await Promise.race([other, new Promise((r) => setTimeout(r, 500))]);
        await open.commitTransaction();
        await other;
      } finally {
        await open.release();
      }
      expect(await tierOf(customerId)).toBe('top');
    }
  });

  it('dead-letters a malformed profile, and one naming a tag twice, and goes on with the stream', async () => {
    const dlqTopic = deadLetterTopicOf(`${h.topicPrefix}${Topics.CrmAnalyticsProfile}`);
    await ensureTopics(h.kafka, [dlqTopic]);
    const dlq = await EventProbe.start(h.kafka, dlqTopic);
    try {
      const malformed = await publishProfile({
        ...profile(CC, '2026-03-04'),
        lifecycleStage: 'zombie',
        churnScore: 140,
      });
      const twice = await publishProfile(
        profile(CC, '2026-03-04', { tags: [wealthTag, { ...wealthTag, score: 10 }] }),
      );
      await publishProfile(profile(CB, '2026-03-04', { valueTier: 'core' }));

      const dead = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === malformed.id, 60_000);
      expect(dead.headers[EventHeaders.DlqReason]).toMatch(/lifecycleStage/);
      expect(dead.headers[EventHeaders.DlqReason]).toMatch(/churnScore/);
      const rejected = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === twice.id, 60_000);
      expect(rejected.headers[EventHeaders.DlqReason]).toMatch(/wealth-management appears more than once/);

      // The profile published after them is applied: the stream goes on.
      expect(
        await until(
          () => search({ valueTiers: ['core'] }),
          (ids) => ids.length > 0,
        ),
      ).toEqual([CB]);
      expect((await view360(CC)).analytics).toMatchObject({ asOf: '2026-03-02', valueTier: 'mass' });
    } finally {
      await dlq.stop();
    }
  }, 120_000);
});
