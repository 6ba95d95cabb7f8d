import {
  ALL_CALLERS,
  C_BIG,
  C_BIG2,
  C_BIG3,
  Caller,
  accessTestService,
  asCaller,
  itNamesTheBadField,
} from '../testing/access.fixture';
import { MANAGERS, ORG } from '../testing/bank.fixture';

const { http } = accessTestService('visit-access');

describe('visits and visit duty: role × scope', () => {
  const month = new Date().toISOString().slice(0, 7);
  const visit = (customerId: string) => ({
    customerId,
    visitedAt: new Date(Date.now() - 60_000).toISOString(),
    content: 'discussed the working-capital line',
    latitude: '30.274084',
    longitude: '120.155070',
  });

  beforeAll(async () => {
    await asCaller('managerA1', http().post('/api/v1/visits')).send(visit(C_BIG)).expect(201);
  });

  const recordStatus: Record<Caller, number> = {
    managerA1: 201,
    managerA2: 404,
    managerB1: 404,
    headA: 403,
    headB: 403,
    headC: 403,
    admin: 403,
    system: 403,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL_CALLERS)('records a visit to C-BIG as %s only when covering it', async (caller) => {
    await asCaller(caller, http().post('/api/v1/visits')).send(visit(C_BIG)).expect(recordStatus[caller]);
  });

  const visibleVisits: Record<Caller, number | boolean> = {
    managerA1: true,
    managerA2: false,
    managerB1: false,
    headA: true,
    headB: false,
    headC: false,
    admin: true,
    system: true,
    lobby: 403,
    anonymous: 401,
  };
  // C-BIG's visits only: another test's visits to other customers do not change what this one sees.
  it.each(ALL_CALLERS)('lists visits in scope as %s', async (caller) => {
    const expected = visibleVisits[caller];
    const res = await asCaller(caller, http().get(`/api/v1/visits?customerId=${C_BIG}`)).expect(
      typeof expected === 'number' ? expected : 200,
    );
    if (typeof expected === 'boolean') {
      expect(res.body.items.length > 0).toBe(expected);
      for (const v of res.body.items)
        expect(v).toMatchObject({ customerId: C_BIG, managerId: MANAGERS.a1.id, latitude: '30.274084' });
    }
  });

  const subtreeOf: Record<string, string[]> = {
    headA: [ORG.branchA, ORG.outletA1, ORG.outletA2],
    headB: [ORG.branchB, ORG.outletB1],
    headC: [ORG.branchC, ORG.outletC1],
  };
  const ownManager: Record<string, string> = {
    managerA1: MANAGERS.a1.id,
    managerA2: MANAGERS.a2.id,
    managerB1: MANAGERS.b1.id,
  };
  const seesBig2: Record<Caller, number | boolean> = {
    managerA1: false,
    managerA2: true,
    managerB1: false,
    headA: true,
    headB: false,
    headC: false,
    admin: true,
    system: true,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL_CALLERS)('reports visit-duty shortfalls in scope as %s', async (caller) => {
    const expected = seesBig2[caller];
    const res = await asCaller(caller, http().get(`/api/v1/visit-duty?month=${month}&limit=200`)).expect(
      typeof expected === 'number' ? expected : 200,
    );
    if (typeof expected !== 'boolean') return;
    type Shortfall = {
      customerId: string;
      managerId: string;
      institutionId: string;
      visits: number;
      required: number;
    };
    const items = res.body.items as Shortfall[];
    const big2 = items.find((i) => i.customerId === C_BIG2);
    expect(big2 !== undefined).toBe(expected);
    if (big2)
      expect(big2).toMatchObject({
        managerId: MANAGERS.a2.id,
        institutionId: ORG.outletA2,
        loanOutstanding: '9000000.00',
        visits: 0,
        required: 2,
      });
    if (ownManager[caller]) expect(items.every((i) => i.managerId === ownManager[caller])).toBe(true);
    if (subtreeOf[caller]) expect(items.every((i) => subtreeOf[caller].includes(i.institutionId))).toBe(true);
  });

  it('drops a manager from the report once they made the visits owed', async () => {
    const dutyOfBig3 = async () =>
      (
        (await asCaller('admin', http().get(`/api/v1/visit-duty?month=${month}&limit=200`)).expect(200)).body
          .items as { customerId: string; visits: number }[]
      ).filter((i) => i.customerId === C_BIG3);
    expect(await dutyOfBig3()).toEqual([expect.objectContaining({ managerId: MANAGERS.b1.id, visits: 0 })]);
    await asCaller('managerB1', http().post('/api/v1/visits')).send(visit(C_BIG3)).expect(201);
    expect(await dutyOfBig3()).toEqual([expect.objectContaining({ visits: 1 })]);
    await asCaller('managerB1', http().post('/api/v1/visits')).send(visit(C_BIG3)).expect(201);
    expect(await dutyOfBig3()).toEqual([]);
  });
});

describe('visits: bad input', () => {
  itNamesTheBadField([
    ['visit duty month', () => http().get('/api/v1/visit-duty?month=2026-13'), 'month'],
    ['visit duty missing month', () => http().get('/api/v1/visit-duty'), 'month'],
    ['visit duty ancient month', () => http().get('/api/v1/visit-duty?month=0000-01'), 'month'],
    ['visits cursor', () => http().get('/api/v1/visits?cursor=WyJ4IiwieSJd'), 'cursor'],
    ['visits customer filter', () => http().get('/api/v1/visits?customerId='), 'customerId'],
    ['NUL in a query field', () => http().get('/api/v1/visits?managerId=R%00M'), 'managerId'],
  ]);

  const visitCases: [string, Record<string, unknown>, string][] = [
    ['latitude above 90', { latitude: '90.000001' }, 'latitude'],
    ['latitude as a number', { latitude: 30.2 }, 'latitude'],
    ['longitude below -180', { longitude: '-180.5' }, 'longitude'],
    ['longitude with 7 decimals', { longitude: '120.1234567' }, 'longitude'],
    ['visit in the future', { visitedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'visitedAt'],
    ['visit time without zone', { visitedAt: '2026-01-01T10:00:00' }, 'visitedAt'],
    ['empty content', { content: '' }, 'content'],
    ['missing customer', { customerId: undefined }, 'customerId'],
  ];
  it.each(visitCases)('POST visit: %s', async (_, change, field) => {
    const body = {
      customerId: C_BIG,
      visitedAt: new Date(Date.now() - 60_000).toISOString(),
      content: 'x',
      latitude: '30.27',
      longitude: '120.15',
      ...change,
    };
    const res = await asCaller('managerA1', http().post('/api/v1/visits')).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
