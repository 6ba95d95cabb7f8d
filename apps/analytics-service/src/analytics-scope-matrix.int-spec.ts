import request from 'supertest';
import { EventTypes } from '@crm/contracts';
import { Role } from '@crm/security';
import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { DEFAULT_CHURN_PARAMETERS } from './profiles/churn.rule';
import { ANALYTICS_SERVICE } from './service';
import { BankStory, StoryCustomer } from './testing/bank-story.fixture';
import { MID_MARCH, QUARTER_END, runToEnd } from './testing/cob.fixture';
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
      [c.out1, 'X1'],
      [c.out2, 'X2'],
      [c.shared, 'X3'],
    ] as const) {
      await story.openAccount(customer, `${name}-CA`, 'current', '2023-06-01', '80000.00');
      // A closure in the last 30 days: churn reason `closures`, warned under the line set below.
      await story.openAccount(customer, `${name}-SA`, 'savings', '2023-06-01', '0.00');
      await story.closeAccount(`${name}-SA`, '2024-03-20');
    }
    await feed.drained();
    await http
      .put('/api/v1/analytics-parameters/churn-warning')
      .set('authorization', as.headOffice())
      .send({ ...DEFAULT_CHURN_PARAMETERS, warningLine: DEFAULT_CHURN_PARAMETERS.weights.closures })
      .expect(200);
    await runToEnd(harness, bank, MID_MARCH);
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

  it.each(['value-tiers', 'contribution-spreads', 'potential-tags', 'churn-warning'])(
    'parameters %s: head office only',
    async (name) => {
      await http
        .get(`/api/v1/analytics-parameters/${name}`)
        .set('authorization', as.headOffice())
        .expect(200);
      for (const caller of ['branch', 'manager1', 'analyst', 'marketing1'] as const) {
        await http.get(`/api/v1/analytics-parameters/${name}`).set('authorization', as[caller]()).expect(403);
        await http
          .put(`/api/v1/analytics-parameters/${name}`)
          .set('authorization', as[caller]())
          .send({})
          .expect(403);
      }
    },
  );

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

  describe.each(['indicators', 'profile', 'value-tier-changes', 'churn'])(
    'GET /customers/:id/%s',
    (resource) => {
      it.each(visible)('as %s', async (caller, sees) => {
        for (const key of ['out1', 'out2', 'shared'] as const) {
          const response = await http
            .get(`/api/v1/customers/${c[key].customerId}/${resource}`)
            .set('authorization', as[caller]());
          const expected = sees === 403 ? 403 : sees.includes(key) ? 200 : 404;
          expect([key, response.status]).toEqual([key, expected]);
        }
      });
    },
  );

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

  const listed = async (path: string, caller: Caller, status = 200) =>
    (
      await http
        .get(`/api/v1/churn-warnings${path}`)
        .query({ businessDate: QUARTER_END })
        .set('authorization', as[caller]())
        .expect(status)
    ).body.items?.map((i: { customerId: string }) => i.customerId);
  const ids = (keys: ('out1' | 'out2' | 'shared')[]) => keys.map((k) => c[k].customerId).sort();

  it.each(visible)('GET /churn-warnings as %s lists the warned customers in scope', async (caller, sees) => {
    if (sees === 403) return void (await listed('', caller, 403));
    expect((await listed('', caller)).sort()).toEqual(ids(sees));
  });

  it.each([
    ['headOffice', 'OUT1', ['out1', 'shared']],
    ['branch', 'OUT1', ['out1', 'shared']],
    ['out1', 'OUT1', ['out1', 'shared']],
    ['out2', 'OUT1', []],
    ['manager2', 'OUT2', ['out2']],
    ['manager2', 'OUT1', []],
    ['analyst', 'OUT1', 403],
    ['lobby', 'OUT1', 403],
  ] as const)('GET /churn-warnings/institutions as %s, of %s', async (caller, institution, sees) => {
    const path = `/institutions/${bank[institution]}`;
    if (sees === 403) return void (await listed(path, caller, 403));
    expect((await listed(path, caller)).sort()).toEqual(ids([...sees]));
  });

  it.each([
    ['headOffice', 'M1', ['out1', 'shared']],
    ['out2', 'M1', []],
    ['manager1', 'M1', ['out1', 'shared']],
    ['manager2', 'M2', ['out2']],
    ['manager2', 'M1', []],
    ['marketing1', 'M2', []],
    ['analyst', 'M1', 403],
  ] as const)('GET /churn-warnings/managers as %s, of %s', async (caller, manager, sees) => {
    const path = `/managers/${bank[manager]}`;
    if (sees === 403) return void (await listed(path, caller, 403));
    expect((await listed(path, caller)).sort()).toEqual(ids([...sees]));
  });

  it('pages the warned customers by score with a cursor, refuses a forged one and an unknown institution', async () => {
    const first = await http
      .get('/api/v1/churn-warnings')
      .query({ businessDate: QUARTER_END, limit: 2 })
      .set('authorization', as.headOffice())
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await http
      .get('/api/v1/churn-warnings')
      .query({ businessDate: QUARTER_END, limit: 2, cursor: first.body.nextCursor })
      .set('authorization', as.headOffice())
      .expect(200);
    expect(rest.body.nextCursor).toBeNull();
    expect(
      [...first.body.items, ...rest.body.items].map((i: { customerId: string }) => i.customerId).sort(),
    ).toEqual(ids(['out1', 'out2', 'shared']));
    const forged = await http
      .get('/api/v1/churn-warnings')
      .query({ cursor: 'bm90LWEtY3Vyc29y' })
      .set('authorization', as.headOffice())
      .expect(400);
    expect(forged.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
    await http
      .get('/api/v1/churn-warnings/institutions/NO-SUCH-INSTITUTION')
      .set('authorization', as.headOffice())
      .expect(404);
  });

  it.each([
    ['headOffice', { institutions: ['OUT1', 'OUT2'], managers: ['M1', 'M2'] }],
    ['branch', { institutions: ['OUT1', 'OUT2'], managers: ['M1', 'M2'] }],
    ['out1', { institutions: ['OUT1'], managers: ['M1'] }],
    ['out2', { institutions: ['OUT2'], managers: ['M2'] }],
    ['marketing1', { institutions: ['OUT1'], managers: ['M1'] }],
    ['manager1', { institutions: ['OUT1'], managers: ['M1'] }],
    ['manager2', { institutions: ['OUT2'], managers: ['M2'] }],
  ] as const)(
    'league tables as %s rank only the books in scope, as JSON, CSV and SVG',
    async (caller, expected) => {
      const get = (path: string) =>
        http
          .get(`/api/v1/league-tables/${path}`)
          .query({ from: MID_MARCH, to: QUARTER_END })
          .set('authorization', as[caller]())
          .expect(200);
      const named = (ids: readonly string[]) =>
        ids.map((id) => bank[id as 'OUT1' | 'OUT2' | 'M1' | 'M2']).sort();
      for (const by of ['institutions', 'managers'] as const) {
        const keys = (await get(by)).body.rows.map((r: { key: string }) => r.key).sort();
        expect(keys).toEqual(named(expected[by]));
        const csvKeys = (await get(`${by}.csv`)).text
          .trim()
          .split('\r\n')
          .slice(1)
          .map((line) => line.split(',')[6])
          .sort();
        expect(csvKeys).toEqual(keys);
        const svg = (await get(`${by}.svg`).buffer(true)).body.toString();
        expect(svg.match(/<rect x=/g)).toHaveLength(keys.length);
      }
    },
  );

  it.each([
    'institutions',
    'institutions.csv',
    'institutions.svg',
    'managers',
    'managers.csv',
    'managers.svg',
  ])('league tables %s: 403 to callers with no customer scope, 401 without a token', async (path) => {
    const url = `/api/v1/league-tables/${path}`;
    const query = { from: MID_MARCH, to: QUARTER_END };
    for (const caller of ['analyst', 'lobby'] as const)
      await http.get(url).query(query).set('authorization', as[caller]()).expect(403);
    await http.get(url).query(query).expect(401);
  });
});
