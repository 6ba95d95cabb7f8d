import request from 'supertest';
import { EventTypes } from '@crm/contracts';
import { Role } from '@crm/security';
import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { ANALYTICS_SERVICE } from './service';
import { BankStory, StoryCustomer } from './testing/bank-story.fixture';
import { QUARTER_END, runToEnd } from './testing/cob.fixture';
import { WarehouseFeed } from './testing/warehouse.fixture';

/**
 * Who may run the close of business, set its parameters and read its figures: head office everything; an
 * institution head and marketing staff the customers whose primary institution is in their subtree; a
 * manager the customers they cover as primary manager or private banker; a secondary institution or manager
 * none of a customer's figures (they are whole-bank figures); an analyst or a lobby manager no customer.
 */
describe('analytics-service data scope matrix on the real stack', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'scope' });
  const feed = new WarehouseFeed(harness);
  const story = new BankStory(feed);
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  const c: Record<'out1' | 'out2' | 'shared', StoryCustomer> = {} as never;
  let runId: string;

  const bearer = (claims: TestTokenClaims) => `Bearer ${testToken(claims)}`;
  const as = {
    headOffice: () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' }),
    branch: () => bearer({ roles: [Role.InstitutionHead], inst: bank.BR, sub: 'branch-head' }),
    out1: () => bearer({ roles: [Role.InstitutionHead], inst: bank.OUT1, sub: 'out1-head' }),
    out2: () => bearer({ roles: [Role.InstitutionHead], inst: bank.OUT2, sub: 'out2-head' }),
    marketing1: () => bearer({ roles: [Role.Marketing], inst: bank.OUT1, sub: 'out1-marketing' }),
    manager1: () => bearer({ roles: [Role.RelationshipManager], inst: bank.OUT1, mgr: bank.M1, sub: 'm1' }),
    manager2: () => bearer({ roles: [Role.RelationshipManager], inst: bank.OUT2, mgr: bank.M2, sub: 'm2' }),
    analyst: () => bearer({ roles: [Role.Analyst], inst: bank.HO, sub: 'analyst' }),
    lobby: () => bearer({ roles: [Role.LobbyManager], inst: bank.OUT1, sub: 'lobby' }),
  };
  type Caller = keyof typeof as;

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(feed, 0);
    c.out1 = await story.customer('X1', bank.OUT1, bank.M1);
    c.out2 = await story.customer('X2', bank.OUT2, bank.M2);
    c.shared = await story.customer('X3', bank.OUT1, bank.M1);
    // X3 also banks at OUT2, whose manager covers them as secondary.
    await feed.publishEvent(EventTypes.CoverageChanged, c.shared.customerId, {
      customerId: c.shared.customerId,
      version: 100,
      primary: {
        institutionId: bank.OUT1,
        managerId: bank.M1,
        reason: 'largest-deposit',
        basis: 'automatic',
      },
      secondary: [{ institutionId: bank.OUT2, managerId: bank.M2, reason: 'deposit', basis: 'automatic' }],
      keyCustomer: false,
      privateBankerId: null,
      changedAt: '2023-02-01T09:00:00.000+08:00',
      changedBy: 'system',
      note: 'second outlet',
    });
    for (const [customer, name] of [
      [c.out1, 'X1-CA'],
      [c.out2, 'X2-CA'],
      [c.shared, 'X3-CA'],
    ] as const)
      await story.openAccount(customer, name, 'current', '2023-06-01', '80000.00');
    await feed.drained();
    runId = (await runToEnd(harness, bank, QUARTER_END)).runId;
  }, 120_000);

  afterAll(() => harness.destroy(), 60_000);

  it.each([
    ['head office', 'headOffice', 202],
    ['a branch head', 'branch', 403],
    ['a manager', 'manager1', 403],
    ['an analyst', 'analyst', 403],
  ] as const)('starting a close of business: %s (%s) → %i', async (_who, caller, status) => {
    const response = await http
      .post('/api/v1/cob-runs')
      .set('authorization', as[caller]())
      .send({ businessDate: '2024-03-30' });
    expect(response.status).toBe(status);
    if (status === 403) expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['head office', 'headOffice', 200],
    ['a branch head', 'branch', 403],
    ['marketing', 'marketing1', 403],
    ['a manager', 'manager2', 403],
  ] as const)('reading a run: %s (%s) → %i', async (_who, caller, status) => {
    await http.get(`/api/v1/cob-runs/${runId}`).set('authorization', as[caller]()).expect(status);
    await http
      .get('/api/v1/cob-runs')
      .query({ from: QUARTER_END, to: QUARTER_END })
      .set('authorization', as[caller]())
      .expect(status);
  });

  it.each([
    ['head office', 'headOffice', 202],
    ['a branch head', 'branch', 403],
    ['a manager', 'manager1', 403],
    ['an analyst', 'analyst', 403],
  ] as const)('backfilling a range of dates: %s (%s) → %i', async (_who, caller, status) => {
    await http
      .post('/api/v1/cob-runs/backfills')
      .set('authorization', as[caller]())
      .send({ from: '2024-03-29', to: '2024-03-29' })
      .expect(status);
  });

  it('refuses a run without a token, for a date not begun, and answers an unknown run with 404', async () => {
    await http.post('/api/v1/cob-runs').send({ businessDate: QUARTER_END }).expect(401);
    const future = await http
      .post('/api/v1/cob-runs')
      .set('authorization', as.headOffice())
      .send({ businessDate: '2999-01-01' })
      .expect(422);
    expect(future.body.code).toBe('BUSINESS_DATE_NOT_REACHED');
    const bad = await http
      .post('/api/v1/cob-runs')
      .set('authorization', as.headOffice())
      .send({ businessDate: '2024-02-30', shards: 0 })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['businessDate', 'shards']);
    await http
      .get('/api/v1/cob-runs/00000000-0000-4000-8000-000000000000')
      .set('authorization', as.headOffice())
      .expect(404);
  });

  it.each(['value-tiers', 'contribution-spreads'])('parameters %s: head office only', async (name) => {
    await http.get(`/api/v1/analytics-parameters/${name}`).set('authorization', as.headOffice()).expect(200);
    for (const caller of ['branch', 'manager1', 'analyst', 'marketing1'] as const) {
      await http.get(`/api/v1/analytics-parameters/${name}`).set('authorization', as[caller]()).expect(403);
      await http
        .put(`/api/v1/analytics-parameters/${name}`)
        .set('authorization', as[caller]())
        .send({})
        .expect(403);
    }
  });

  // Which customers' figures each caller reads: X1 (OUT1, M1), X2 (OUT2, M2), X3 (OUT1, M1; OUT2, M2 secondary).
  const visible: [Caller, ('out1' | 'out2' | 'shared')[] | 403][] = [
    ['headOffice', ['out1', 'out2', 'shared']],
    ['branch', ['out1', 'out2', 'shared']],
    ['out1', ['out1', 'shared']],
    ['out2', ['out2']],
    ['marketing1', ['out1', 'shared']],
    ['manager1', ['out1', 'shared']],
    ['manager2', ['out2']],
    ['analyst', 403],
    ['lobby', 403],
  ];

  describe.each(['indicators', 'profile', 'value-tier-changes'])('GET /customers/:id/%s', (resource) => {
    it.each(visible)('as %s', async (caller, sees) => {
      for (const key of ['out1', 'out2', 'shared'] as const) {
        const response = await http
          .get(`/api/v1/customers/${c[key].customerId}/${resource}`)
          .set('authorization', as[caller]());
        const expected = sees === 403 ? 403 : sees.includes(key) ? 200 : 404;
        expect([key, response.status]).toEqual([key, expected]);
      }
    });
  });

  it.each([
    ['headOffice', { institutions: ['OUT1', 'OUT2'], managers: ['M1', 'M2'] }],
    ['branch', { institutions: ['OUT1', 'OUT2'], managers: ['M1', 'M2'] }],
    ['out1', { institutions: ['OUT1'], managers: ['M1'] }],
    ['out2', { institutions: ['OUT2'], managers: ['M2'] }],
    ['manager1', { institutions: ['OUT1'], managers: ['M1'] }],
    ['manager2', { institutions: ['OUT2'], managers: ['M2'] }],
  ] as const)('aggregates as %s cover only the books in scope', async (caller, expected) => {
    const keys = async (by: string) =>
      (
        await http
          .get(`/api/v1/indicator-aggregates/${by}`)
          .query({ businessDate: QUARTER_END })
          .set('authorization', as[caller]())
          .expect(200)
      ).body.rows.map((r: { key: string }) => r.key);
    const named = (ids: readonly string[]) => ids.map((id) => bank[id as 'OUT1' | 'OUT2' | 'M1' | 'M2']);
    expect(await keys('institutions')).toEqual(named(expected.institutions));
    expect(await keys('managers')).toEqual(named(expected.managers));
  });

  it('narrows aggregates to an institution within the scope, and refuses callers with no customer scope', async () => {
    const narrowed = await http
      .get('/api/v1/indicator-aggregates/managers')
      .query({ businessDate: QUARTER_END, institutionId: bank.OUT2 })
      .set('authorization', as.out1())
      .expect(200);
    expect(narrowed.body.rows).toEqual([]);
    await http
      .get('/api/v1/indicator-aggregates/institutions')
      .query({ institutionId: 'NO-SUCH-INSTITUTION' })
      .set('authorization', as.headOffice())
      .expect(404);
    for (const caller of ['analyst', 'lobby'] as const)
      await http
        .get('/api/v1/indicator-aggregates/institutions')
        .set('authorization', as[caller]())
        .expect(403);
  });
});
