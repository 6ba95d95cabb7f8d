import { eventually, prefilledQueryParameters } from '@crm/testing';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import request from 'supertest';
import { CoverageChangedPayload } from '@crm/contracts';
import {
  CALLERS,
  CorebankFeed,
  MANAGERS,
  ORG,
  RunningService,
  configureTestEnv,
  corebank,
  organisationEvents,
  startService,
  testPrefix,
} from './testing/assignment-harness';
import { ASSIGNMENT_PROTO_PATH } from './grpc/assignment-grpc.controller';

const prefix = testPrefix('assign-api');
configureTestEnv(prefix);

let feed: CorebankFeed;
let service: RunningService;

type Caller = keyof typeof CALLERS | 'anonymous';
const ALL: Caller[] = [
  'managerA1',
  'managerA2',
  'managerB1',
  'headA',
  'headB',
  'headC',
  'admin',
  'system',
  'lobby',
  'anonymous',
];

/**
 * Fixture customers:
 * - C-LC: loan at 810200 (RM-A2, primary), card at 820100 (RM-B1, secondary).
 * - C-BIG: loan of 8,000,000.00 at 810100 by RM-A1: above the visit-duty threshold.
 * - C-BIG2: loan of 9,000,000.00 at 810200 by RM-A2, never visited: always in the visit-duty report.
 * - C-BIG3: loan of 6,000,000.00 at 820100 by RM-B1: visited during the test until the duty is met.
 * - C-KEYB: 2,000,000.00 deposited at 820100: a key customer of branch B.
 */
const C_LC = 'C-LC';
const C_BIG = 'C-BIG';
const C_BIG2 = 'C-BIG2';
const C_BIG3 = 'C-BIG3';
const C_KEYB = 'C-KEYB';

const http = () => request(service.app.getHttpServer());
const as = (caller: Caller, req: request.Test): request.Test =>
  caller === 'anonymous' ? req : req.set('Authorization', `Bearer ${CALLERS[caller]}`);

const customerIds = (body: { items: CoverageChangedPayload[] }) => body.items.map((c) => c.customerId).sort();

beforeAll(async () => {
  feed = new CorebankFeed(prefix);
  service = await startService('assign_api');
  await feed.publish(...organisationEvents(feed));
  await feed.publish(
    corebank.loanDisbursed(feed, {
      loanId: 'L-LC',
      customerId: C_LC,
      institutionId: ORG.outletA2,
      managerId: MANAGERS.a2.id,
      principal: '200000.00',
    }),
    corebank.cardIssued(feed, {
      cardId: 'K-LC',
      customerId: C_LC,
      institutionId: ORG.outletB1,
      managerId: MANAGERS.b1.id,
      creditLimit: '50000.00',
    }),
    corebank.loanDisbursed(feed, {
      loanId: 'L-BIG',
      customerId: C_BIG,
      institutionId: ORG.outletA1,
      managerId: MANAGERS.a1.id,
      principal: '8000000.00',
    }),
    corebank.loanDisbursed(feed, {
      loanId: 'L-BIG2',
      customerId: C_BIG2,
      institutionId: ORG.outletA2,
      managerId: MANAGERS.a2.id,
      principal: '9000000.00',
    }),
    corebank.loanDisbursed(feed, {
      loanId: 'L-BIG3',
      customerId: C_BIG3,
      institutionId: ORG.outletB1,
      managerId: MANAGERS.b1.id,
      principal: '6000000.00',
    }),
    corebank.accountOpened(feed, {
      accountId: 'A-KEYB',
      customerId: C_KEYB,
      institutionId: ORG.outletB1,
      balance: '2000000.00',
      managerId: MANAGERS.b1.id,
    }),
  );
  await eventually(async () => {
    const rows: { customer_id: string; members: number }[] = await service.dataSource.query(
      `SELECT customer_id, count(*)::int AS members FROM "${service.db.schema}".coverage_member GROUP BY customer_id`,
    );
    const members = Object.fromEntries(rows.map((r) => [r.customer_id, r.members]));
    const managers = await service.dataSource.query(`SELECT 1 FROM "${service.db.schema}".manager`);
    const ready = members[C_LC] === 2 && [C_BIG, C_BIG2, C_BIG3, C_KEYB].every((c) => members[c] === 1);
    return ready && managers.length === 6 ? true : undefined;
  });
});

afterAll(async () => {
  await service?.stop();
  await feed?.close();
});

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

  it.each(ALL)('GET coverage and history of a customer covered at two branches, as %s', async (caller) => {
    const status = coverageStatus[caller];
    const coverage = await as(caller, http().get(`/api/v1/customers/${C_LC}/coverage`)).expect(status);
    const history = await as(caller, http().get(`/api/v1/customers/${C_LC}/coverage/history`)).expect(status);
    if (status === 200) {
      expect(coverage.body).toMatchObject({ customerId: C_LC, primary: { institutionId: ORG.outletA2 } });
      expect(history.body.items[0].coverage.customerId).toBe(C_LC);
    } else {
      expect(coverage.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(coverage.body)).not.toContain(ORG.outletA2);
      expect(JSON.stringify(history.body)).not.toContain(ORG.outletA2);
    }
  });

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
  it.each(ALL)("GET a manager's covered customers (RM-A2), as %s", async (caller) => {
    const expected = managerList[caller];
    const res = await as(caller, http().get(`/api/v1/managers/${MANAGERS.a2.id}/customers`)).expect(
      typeof expected === 'number' ? expected : 200,
    );
    if (Array.isArray(expected)) expect(customerIds(res.body)).toEqual(expected);
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
  it.each(ALL)("GET branch A's covered customers (subtree), as %s", async (caller) => {
    const expected = branchAList[caller];
    const res = await as(
      caller,
      http().get(`/api/v1/institutions/${ORG.branchA}/customers?subtree=true`),
    ).expect(typeof expected === 'number' ? expected : 200);
    if (Array.isArray(expected)) expect(customerIds(res.body)).toEqual(expected);
  });

  it('pages a list with a keyset cursor', async () => {
    const first = await as(
      'admin',
      http().get(`/api/v1/institutions/${ORG.headOffice}/customers?subtree=true&limit=2`),
    ).expect(200);
    const page = (cursor: string) =>
      as(
        'admin',
        http().get(`/api/v1/institutions/${ORG.headOffice}/customers?subtree=true&limit=2&cursor=${cursor}`),
      ).expect(200);
    const second = await page(first.body.nextCursor);
    const third = await page(second.body.nextCursor);
    expect([first, second, third].map((p) => customerIds(p.body))).toEqual([
      [C_BIG, C_BIG2],
      [C_BIG3, C_KEYB],
      [C_LC],
    ]);
    expect(third.body.nextCursor).toBeNull();
  });
});

describe('manual assignment: role × scope', () => {
  const pinStatus: Record<Caller, number> = {
    managerA1: 403,
    managerA2: 403,
    managerB1: 403,
    headA: 200, // 810200 is in branch A
    headB: 403, // sees the customer, but 810200 is not theirs
    headC: 404, // the customer is outside their scope
    admin: 200,
    system: 403,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL)('PUT then DELETE the manager at the primary institution, as %s', async (caller) => {
    const path = `/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`;
    const put = await as(caller, http().put(path)).send({
      managerId: MANAGERS.a2.id,
      reason: 'steady relationship',
    });
    expect(put.status).toBe(pinStatus[caller]);
    const del = await as(caller, http().delete(`${path}?reason=rules%20again`));
    expect(del.status).toBe(pinStatus[caller]);
    if (put.status === 200) {
      expect(put.body.primary).toMatchObject({ managerId: MANAGERS.a2.id, basis: 'manual' });
      expect(del.body.primary).toMatchObject({ managerId: MANAGERS.a2.id, basis: 'automatic' });
    }
  });

  const bankerStatus: Record<Caller, number> = {
    managerA1: 403,
    managerA2: 403,
    managerB1: 403,
    headA: 404,
    headB: 200,
    headC: 404,
    admin: 200,
    system: 403,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL)('PUT then DELETE the private banker of a key customer of branch B, as %s', async (caller) => {
    const path = `/api/v1/customers/${C_KEYB}/private-banker`;
    const put = await as(caller, http().put(path)).send({
      managerId: MANAGERS.privateBanker.id,
      reason: 'key customer',
    });
    expect(put.status).toBe(bankerStatus[caller]);
    const del = await as(caller, http().delete(`${path}?reason=left`));
    expect(del.status).toBe(bankerStatus[caller]);
    if (put.status === 200) {
      expect(put.body).toMatchObject({ keyCustomer: true, privateBankerId: MANAGERS.privateBanker.id });
      expect(del.body.privateBankerId).toBeNull();
    }
  });

  it('refuses a private banker for a customer who is not a key customer, and a manager of another institution', async () => {
    await as('headA', http().put(`/api/v1/customers/${C_LC}/private-banker`))
      .send({ managerId: MANAGERS.privateBanker.id, reason: 'x' })
      .expect(422)
      .expect((res) => expect(res.body.code).toBe('NOT_KEY_CUSTOMER'));
    await as('headA', http().put(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`))
      .send({ managerId: MANAGERS.b1.id, reason: 'x' })
      .expect(422)
      .expect((res) => expect(res.body.code).toBe('MANAGER_NOT_ELIGIBLE'));
  });
});

describe('organisation and parameters: roles', () => {
  const readers: Record<Caller, number> = {
    managerA1: 200,
    managerA2: 200,
    managerB1: 200,
    headA: 200,
    headB: 200,
    headC: 200,
    admin: 200,
    system: 200,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL)('reads the institution tree, managers and parameters as %s', async (caller) => {
    for (const path of [
      'institutions',
      `institutions/${ORG.branchA}`,
      'managers',
      `managers/${MANAGERS.a1.id}`,
      'parameters',
    ])
      await as(caller, http().get(`/api/v1/${path}`)).expect(readers[caller]);
  });

  const historyReaders: Record<Caller, number> = {
    managerA1: 403,
    managerA2: 403,
    managerB1: 403,
    headA: 200,
    headB: 200,
    headC: 200,
    admin: 200,
    system: 200,
    lobby: 403,
    anonymous: 401,
  };
  it.each(ALL)('reads the parameter history as %s', async (caller) => {
    await as(caller, http().get('/api/v1/parameters/history')).expect(historyReaders[caller]);
  });

  it.each(ALL.filter((c) => c !== 'admin'))(
    'refuses corrections and parameter changes to %s',
    async (caller) => {
      const expected = caller === 'anonymous' ? 401 : 403;
      await as(caller, http().put(`/api/v1/institutions/${ORG.outletC1}`))
        .send({
          name: 'x',
          level: 'outlet',
          parentId: ORG.branchC,
          regionCode: '330106',
          active: true,
          reason: 'x',
        })
        .expect(expected);
      await as(caller, http().put(`/api/v1/managers/${MANAGERS.c1.id}`))
        .send({
          name: 'x',
          institutionId: ORG.outletC1,
          roles: ['relationship-manager'],
          active: true,
          reason: 'x',
        })
        .expect(expected);
      await as(caller, http().put('/api/v1/parameters')).send(parameters('x')).expect(expected);
    },
  );

  it('lets head office correct an institution and a manager, audited', async () => {
    await as('admin', http().put(`/api/v1/institutions/${ORG.outletC1}`))
      .send({
        name: 'Outlet C1 renamed',
        level: 'outlet',
        parentId: ORG.branchC,
        regionCode: '330106',
        active: true,
        reason: 'typo',
      })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ name: 'Outlet C1 renamed', updatedBy: 'admin-1' }));
    await as('admin', http().put(`/api/v1/managers/${MANAGERS.c1.id}`))
      .send({
        name: 'Renamed',
        institutionId: ORG.outletC1,
        roles: ['relationship-manager'],
        active: false,
        reason: 'left',
      })
      .expect(200);
    await as('admin', http().put(`/api/v1/institutions/${ORG.branchC}`))
      .send({
        name: 'C',
        level: 'branch',
        parentId: ORG.outletC1,
        regionCode: '330106',
        active: true,
        reason: 'cycle',
      })
      .expect(422);
    const audit = await service.dataSource.query(
      `SELECT action, resource_id FROM "${service.db.schema}".audit_log WHERE action LIKE '%.correct' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'institution.correct', resource_id: ORG.outletC1 },
      { action: 'manager.correct', resource_id: MANAGERS.c1.id },
    ]);
  });

  it('lets head office change the parameters, keeps every version and re-flags key customers', async () => {
    const res = await as('admin', http().put('/api/v1/parameters'))
      .send({ ...parameters('raise the bar'), keyCustomerAssetThreshold: '3000000.00' })
      .expect(200);
    expect(res.body).toMatchObject({
      version: 2,
      keyCustomerAssetThreshold: '3000000.00',
      updatedBy: 'admin-1',
    });
    const history = await as('headA', http().get('/api/v1/parameters/history')).expect(200);
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const coverage = await eventually(async () => {
      const body = (await as('admin', http().get(`/api/v1/customers/${C_KEYB}/coverage`)))
        .body as CoverageChangedPayload;
      return body.keyCustomer === false ? body : undefined;
    });
    expect(coverage.note).toContain('bank parameters changed (version 2)');
    await as('admin', http().put('/api/v1/parameters')).send(parameters('back')).expect(200);
    await eventually(async () => {
      const body = (await as('admin', http().get(`/api/v1/customers/${C_KEYB}/coverage`)))
        .body as CoverageChangedPayload;
      return body.keyCustomer ? true : undefined;
    });
  });
});

function parameters(reason: string) {
  return {
    keyCustomerAssetThreshold: '1000000.00',
    keyCustomerLoanThreshold: '5000000.00',
    keyCustomerCleanYears: 3,
    visitDutyLoanThreshold: '5000000.00',
    visitDutyMinVisitsPerMonth: 2,
    reason,
  };
}

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
    await as('managerA1', http().post('/api/v1/visits')).send(visit(C_BIG)).expect(201);
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
  it.each(ALL)('records a visit to C-BIG as %s only when covering it', async (caller) => {
    await as(caller, http().post('/api/v1/visits')).send(visit(C_BIG)).expect(recordStatus[caller]);
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
  it.each(ALL)('lists visits in scope as %s', async (caller) => {
    const expected = visibleVisits[caller];
    const res = await as(caller, http().get('/api/v1/visits')).expect(
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
  it.each(ALL)('reports visit-duty shortfalls in scope as %s', async (caller) => {
    const expected = seesBig2[caller];
    const res = await as(caller, http().get(`/api/v1/visit-duty?month=${month}&limit=200`)).expect(
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
        (await as('admin', http().get(`/api/v1/visit-duty?month=${month}&limit=200`)).expect(200)).body
          .items as { customerId: string; visits: number }[]
      ).filter((i) => i.customerId === C_BIG3);
    expect(await dutyOfBig3()).toEqual([expect.objectContaining({ managerId: MANAGERS.b1.id, visits: 0 })]);
    await as('managerB1', http().post('/api/v1/visits')).send(visit(C_BIG3)).expect(201);
    expect(await dutyOfBig3()).toEqual([expect.objectContaining({ visits: 1 })]);
    await as('managerB1', http().post('/api/v1/visits')).send(visit(C_BIG3)).expect(201);
    expect(await dutyOfBig3()).toEqual([]);
  });
});

describe('bad input: 4xx problem details naming the field', () => {
  const tooLong = 'X'.repeat(65);
  const cases: [string, () => request.Test, string][] = [
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
    [
      'pin body',
      () =>
        http()
          .put(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`)
          .send({ reason: 'x' }),
      'managerId',
    ],
    [
      'unpin reason',
      () => http().delete(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`),
      'reason',
    ],
    [
      'private banker id',
      () => http().put(`/api/v1/customers/${C_KEYB}/private-banker`).send({ managerId: 5, reason: 'x' }),
      'managerId',
    ],
    [
      'private banker unknown field',
      () =>
        http()
          .put(`/api/v1/customers/${C_KEYB}/private-banker`)
          .send({ managerId: 'PB-A', reason: 'x', extra: 1 }),
      'extra',
    ],
    [
      'parameters money',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parameters('x'), keyCustomerAssetThreshold: '1.005' }),
      'keyCustomerAssetThreshold',
    ],
    [
      'parameters negative',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parameters('x'), visitDutyLoanThreshold: '-1.00' }),
      'visitDutyLoanThreshold',
    ],
    [
      'parameters number money',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parameters('x'), keyCustomerLoanThreshold: 5000000 }),
      'keyCustomerLoanThreshold',
    ],
    [
      'parameters years',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parameters('x'), keyCustomerCleanYears: 0 }),
      'keyCustomerCleanYears',
    ],
    [
      'parameters visits',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parameters('x'), visitDutyMinVisitsPerMonth: 1.5 }),
      'visitDutyMinVisitsPerMonth',
    ],
    ['parameter history cursor', () => http().get('/api/v1/parameters/history?cursor=WyJ4Il0'), 'cursor'],
    ['institutions limit', () => http().get('/api/v1/institutions?limit=1000'), 'limit'],
    [
      'institution correction level',
      () =>
        http().put(`/api/v1/institutions/${ORG.outletC1}`).send({
          name: 'x',
          level: 'kiosk',
          parentId: ORG.branchC,
          regionCode: '330106',
          active: true,
          reason: 'x',
        }),
      'level',
    ],
    [
      'head office parent',
      () =>
        http().put(`/api/v1/institutions/${ORG.headOffice}`).send({
          name: 'HO',
          level: 'head-office',
          parentId: ORG.branchA,
          regionCode: '330106',
          active: true,
          reason: 'x',
        }),
      'parentId',
    ],
    [
      'institution region',
      () =>
        http().put(`/api/v1/institutions/${ORG.outletC1}`).send({
          name: 'x',
          level: 'outlet',
          parentId: ORG.branchC,
          regionCode: '12',
          active: true,
          reason: 'x',
        }),
      'regionCode',
    ],
    [
      'manager roles',
      () =>
        http()
          .put(`/api/v1/managers/${MANAGERS.c1.id}`)
          .send({ name: 'x', institutionId: ORG.outletC1, roles: [], active: true, reason: 'x' }),
      'roles',
    ],
    [
      'managers institution filter',
      () => http().get(`/api/v1/managers?institutionId=${tooLong}`),
      'institutionId',
    ],
    ['visit duty month', () => http().get('/api/v1/visit-duty?month=2026-13'), 'month'],
    ['visit duty missing month', () => http().get('/api/v1/visit-duty'), 'month'],
    ['visit duty ancient month', () => http().get('/api/v1/visit-duty?month=0000-01'), 'month'],
    ['visits cursor', () => http().get('/api/v1/visits?cursor=WyJ4IiwieSJd'), 'cursor'],
    ['visits customer filter', () => http().get('/api/v1/visits?customerId='), 'customerId'],
    ['institution id', () => http().get(`/api/v1/institutions/${tooLong}`), 'id'],
    ['manager id', () => http().get(`/api/v1/managers/${tooLong}`), 'id'],
    [
      'private banker removal reason',
      () => http().delete(`/api/v1/customers/${C_KEYB}/private-banker`),
      'reason',
    ],
    ['NUL in a path id', () => http().get('/api/v1/customers/C%00X/coverage'), 'customerId'],
    [
      'NUL in a body field',
      () =>
        http()
          .put(`/api/v1/customers/${C_KEYB}/private-banker`)
          .send({ managerId: 'PB-A', reason: 'a\u0000b' }),
      'reason',
    ],
    ['NUL in a query field', () => http().get('/api/v1/visits?managerId=R%00M'), 'managerId'],
  ];
  it.each(cases)('%s', async (_, send, field) => {
    const res = await as('admin', send());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

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
    const res = await as('managerA1', http().post('/api/v1/visits')).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for unknown ids', async () => {
    await as('admin', http().get('/api/v1/customers/C-NOBODY/coverage')).expect(404);
    await as('admin', http().get('/api/v1/customers/C-NOBODY/coverage/history')).expect(404);
    await as('admin', http().get('/api/v1/institutions/NOPE')).expect(404);
    await as('admin', http().get('/api/v1/institutions/NOPE/customers')).expect(404);
    await as('admin', http().get('/api/v1/managers/NOPE')).expect(404);
    await as('admin', http().get('/api/v1/managers/NOPE/customers')).expect(404);
    await as('admin', http().put('/api/v1/managers/NOPE'))
      .send({
        name: 'x',
        institutionId: ORG.outletC1,
        roles: ['relationship-manager'],
        active: true,
        reason: 'x',
      })
      .expect(404);
    await as('admin', http().put(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`))
      .send({ managerId: 'NOPE', reason: 'x' })
      .expect(404);
    await as(
      'admin',
      http().delete(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletB1}/manager?reason=x`),
    ).expect(404);
  });

  it('documents every endpoint in Swagger', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const api = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/'));
    const operations = api.flatMap(([, p]) => Object.values(p));
    expect(operations.length).toBe(20);
    for (const op of operations)
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
  });

  it("leaves the console's query filters empty in Try it out (examples are in descriptions)", async () => {
    const doc = (await http().get('/docs-json').expect(200)).body;
    expect(prefilledQueryParameters(doc)).toEqual([]);
  });
});

describe('gRPC coverage lookup', () => {
  type Callback<T> = (error: (Error & { code?: number }) | null, value?: T) => void;
  interface AssignmentClient extends grpc.Client {
    GetCoverage(req: object, md: grpc.Metadata, cb: Callback<Record<string, unknown>>): void;
    ListCoveredCustomers(
      req: object,
      md: grpc.Metadata,
      cb: Callback<{ items: { customerId: string }[] }>,
    ): void;
  }
  let client: AssignmentClient;

  beforeAll(() => {
    const definition = loadSync(ASSIGNMENT_PROTO_PATH, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: true,
    });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      crm: {
        assignment: {
          v1: {
            AssignmentService: new (
              address: string,
              credentials: grpc.ChannelCredentials,
            ) => AssignmentClient;
          };
        };
      };
    };
    client = new pkg.crm.assignment.v1.AssignmentService(
      service.grpcAddress,
      grpc.credentials.createInsecure(),
    );
  });

  afterAll(() => client?.close());

  const metadataFor = (caller: Caller): grpc.Metadata => {
    const md = new grpc.Metadata();
    if (caller !== 'anonymous') md.set('authorization', `Bearer ${CALLERS[caller]}`);
    return md;
  };
  const invoke = <T>(method: 'GetCoverage' | 'ListCoveredCustomers', req: object, caller: Caller) =>
    new Promise<{ code: number; value?: T }>((resolve) =>
      (client[method] as (r: object, m: grpc.Metadata, cb: Callback<T>) => void).call(
        client,
        req,
        metadataFor(caller),
        (error, value) => resolve({ code: error?.code ?? grpc.status.OK, value }),
      ),
    );

  const expectedCode: Record<Caller, grpc.status> = {
    managerA1: grpc.status.NOT_FOUND,
    managerA2: grpc.status.OK,
    managerB1: grpc.status.OK,
    headA: grpc.status.OK,
    headB: grpc.status.OK,
    headC: grpc.status.NOT_FOUND,
    admin: grpc.status.OK,
    system: grpc.status.OK,
    lobby: grpc.status.PERMISSION_DENIED,
    anonymous: grpc.status.UNAUTHENTICATED,
  };
  it.each(ALL)('GetCoverage of C-LC as %s', async (caller) => {
    const res = await invoke<{ customerId: string; primary: { institutionId: string; reason: string } }>(
      'GetCoverage',
      { customerId: C_LC },
      caller,
    );
    expect(res.code).toBe(expectedCode[caller]);
    if (res.code === grpc.status.OK)
      expect(res.value).toMatchObject({
        customerId: C_LC,
        primary: { institutionId: ORG.outletA2, reason: 'loan' },
      });
  });

  it('lists an institution subtree’s customers in the caller’s scope, and names bad fields', async () => {
    const branchA = await invoke<{ items: { customerId: string }[] }>(
      'ListCoveredCustomers',
      { institutionId: ORG.branchA, subtree: true },
      'headB',
    );
    expect(branchA.value?.items.map((i) => i.customerId)).toEqual([C_LC]);
    expect((await invoke('GetCoverage', { customerId: '' }, 'admin')).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect((await invoke('ListCoveredCustomers', { managerId: 'RM-A1', pageSize: 500 }, 'admin')).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect((await invoke('ListCoveredCustomers', { pageSize: 5 }, 'admin')).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect((await invoke('ListCoveredCustomers', { managerId: 'NOPE' }, 'admin')).code).toBe(
      grpc.status.NOT_FOUND,
    );
  });
});
