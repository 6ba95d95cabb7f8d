import {
  ALL_CALLERS,
  C_BIG,
  C_BIG2,
  C_BIG3,
  C_KEYB,
  C_LC,
  Caller,
  accessTestService,
  asCaller,
  customerIdsOf,
  itNamesTheBadField,
} from '../testing/access.fixture';
import { MANAGERS, ORG } from '../testing/bank.fixture';

const { http } = accessTestService('coverage-access');

describe('coverage reads: role × scope', () => {
  const coverageStatus: Record<Caller, number> = {
    managerA1: 404, // covers C-BIG only
    managerA2: 200, // primary manager
    managerB1: 200, // secondary manager (card)
    headA: 200, // primary institution's branch
    headB: 200, // secondary institution's branch
    headC: 404, // another branch
    admin: 200,
    system: 200,
    lobby: 403,
    anonymous: 401,
  };

  it.each(ALL_CALLERS)(
    'GET coverage and history of a customer covered at two branches, as %s',
    async (caller) => {
      const status = coverageStatus[caller];
      const coverage = await asCaller(caller, http().get(`/api/v1/customers/${C_LC}/coverage`)).expect(
        status,
      );
      const history = await asCaller(caller, http().get(`/api/v1/customers/${C_LC}/coverage/history`)).expect(
        status,
      );
      if (status === 200) {
        expect(coverage.body).toMatchObject({ customerId: C_LC, primary: { institutionId: ORG.outletA2 } });
        expect(history.body.items[0].coverage.customerId).toBe(C_LC);
      } else {
        expect(coverage.headers['content-type']).toContain('application/problem+json');
        expect(JSON.stringify(coverage.body)).not.toContain(ORG.outletA2);
        expect(JSON.stringify(history.body)).not.toContain(ORG.outletA2);
      }
    },
  );

  const managerList: Record<Caller, number | string[]> = {
    managerA1: [],
    managerA2: [C_BIG2, C_LC],
    managerB1: [C_LC],
    headA: [C_BIG2, C_LC],
    headB: [C_LC],
    headC: [],
    admin: [C_BIG2, C_LC],
    system: [C_BIG2, C_LC],
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL_CALLERS)("GET a manager's covered customers (RM-A2), as %s", async (caller) => {
    const expected = managerList[caller];
    const res = await asCaller(caller, http().get(`/api/v1/managers/${MANAGERS.a2.id}/customers`)).expect(
      typeof expected === 'number' ? expected : 200,
    );
    if (Array.isArray(expected)) expect(customerIdsOf(res.body)).toEqual(expected);
  });

  const branchAList: Record<Caller, number | string[]> = {
    managerA1: [C_BIG],
    managerA2: [C_BIG2, C_LC],
    managerB1: [C_LC],
    headA: [C_BIG, C_BIG2, C_LC],
    headB: [C_LC],
    headC: [],
    admin: [C_BIG, C_BIG2, C_LC],
    system: [C_BIG, C_BIG2, C_LC],
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL_CALLERS)("GET branch A's covered customers (subtree), as %s", async (caller) => {
    const expected = branchAList[caller];
    const res = await asCaller(
      caller,
      http().get(`/api/v1/institutions/${ORG.branchA}/customers?subtree=true`),
    ).expect(typeof expected === 'number' ? expected : 200);
    if (Array.isArray(expected)) expect(customerIdsOf(res.body)).toEqual(expected);
  });

  it('pages a list with a keyset cursor', async () => {
    const first = await asCaller(
      'admin',
      http().get(`/api/v1/institutions/${ORG.headOffice}/customers?subtree=true&limit=2`),
    ).expect(200);
    const page = (cursor: string) =>
      asCaller(
        'admin',
        http().get(`/api/v1/institutions/${ORG.headOffice}/customers?subtree=true&limit=2&cursor=${cursor}`),
      ).expect(200);
    const second = await page(first.body.nextCursor);
    const third = await page(second.body.nextCursor);
    expect([first, second, third].map((p) => customerIdsOf(p.body))).toEqual([
      [C_BIG, C_BIG2],
      [C_BIG3, C_KEYB],
      [C_LC],
    ]);
    expect(third.body.nextCursor).toBeNull();
  });
});

describe('coverage reads: bad input and unknown ids', () => {
  const tooLong = 'X'.repeat(65);
  itNamesTheBadField([
    ['coverage id', () => http().get(`/api/v1/customers/${tooLong}/coverage`), 'customerId'],
    ['history limit', () => http().get(`/api/v1/customers/${C_LC}/coverage/history?limit=0`), 'limit'],
    [
      'history cursor',
      () => http().get(`/api/v1/customers/${C_LC}/coverage/history?cursor=nonsense`),
      'cursor',
    ],
    [
      'manager list limit',
      () => http().get(`/api/v1/managers/${MANAGERS.a1.id}/customers?limit=abc`),
      'limit',
    ],
    [
      'institution list subtree',
      () => http().get(`/api/v1/institutions/${ORG.branchA}/customers?subtree=maybe`),
      'subtree',
    ],
    [
      'institution list cursor',
      () => http().get(`/api/v1/institutions/${ORG.branchA}/customers?cursor=%%%`),
      'cursor',
    ],
    ['NUL in a path id', () => http().get('/api/v1/customers/C%00X/coverage'), 'customerId'],
  ]);

  it('answers 404 for unknown customers, institutions and managers', async () => {
    await asCaller('admin', http().get('/api/v1/customers/C-NOBODY/coverage')).expect(404);
    await asCaller('admin', http().get('/api/v1/customers/C-NOBODY/coverage/history')).expect(404);
    await asCaller('admin', http().get('/api/v1/institutions/NOPE/customers')).expect(404);
    await asCaller('admin', http().get('/api/v1/managers/NOPE/customers')).expect(404);
  });
});
