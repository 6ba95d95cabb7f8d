import {
  ALL_CALLERS,
  Caller,
  accessTestService,
  asCaller,
  itNamesTheBadField,
  parametersChange,
} from '../testing/access.fixture';
import { MANAGERS, ORG, seedOrganisation } from '../testing/bank.fixture';

const { service, http } = accessTestService('organisation-access', seedOrganisation);

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
  it.each(ALL_CALLERS)('reads the institution tree, managers and parameters as %s', async (caller) => {
    for (const path of [
      'institutions',
      `institutions/${ORG.branchA}`,
      'managers',
      `managers/${MANAGERS.a1.id}`,
      'parameters',
    ])
      await asCaller(caller, http().get(`/api/v1/${path}`)).expect(readers[caller]);
  });

  it.each(ALL_CALLERS.filter((c) => c !== 'admin'))(
    'refuses corrections and parameter changes to %s',
    async (caller) => {
      const expected = caller === 'anonymous' ? 401 : 403;
      await asCaller(caller, http().put(`/api/v1/institutions/${ORG.outletC1}`))
        .send({
          name: 'x',
          level: 'outlet',
          parentId: ORG.branchC,
          regionCode: '330106',
          active: true,
          reason: 'x',
        })
        .expect(expected);
      await asCaller(caller, http().put(`/api/v1/managers/${MANAGERS.c1.id}`))
        .send({
          name: 'x',
          institutionId: ORG.outletC1,
          roles: ['relationship-manager'],
          active: true,
          reason: 'x',
        })
        .expect(expected);
      await asCaller(caller, http().put('/api/v1/parameters')).send(parametersChange('x')).expect(expected);
    },
  );

  it('lets head office correct an institution and a manager, audited', async () => {
    await asCaller('admin', http().put(`/api/v1/institutions/${ORG.outletC1}`))
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
    await asCaller('admin', http().put(`/api/v1/managers/${MANAGERS.c1.id}`))
      .send({
        name: 'Renamed',
        institutionId: ORG.outletC1,
        roles: ['relationship-manager'],
        active: false,
        reason: 'left',
      })
      .expect(200);
    await asCaller('admin', http().put(`/api/v1/institutions/${ORG.branchC}`))
      .send({
        name: 'C',
        level: 'branch',
        parentId: ORG.outletC1,
        regionCode: '330106',
        active: true,
        reason: 'cycle',
      })
      .expect(422);
    const audit = await service.query(
      `SELECT action, resource_id FROM $schema.audit_log WHERE action LIKE '%.correct' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'institution.correct', resource_id: ORG.outletC1 },
      { action: 'manager.correct', resource_id: MANAGERS.c1.id },
    ]);
  });
});

describe('organisation: bad input and unknown ids', () => {
  const tooLong = 'X'.repeat(65);
  itNamesTheBadField([
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
    ['institution id', () => http().get(`/api/v1/institutions/${tooLong}`), 'id'],
    ['manager id', () => http().get(`/api/v1/managers/${tooLong}`), 'id'],
  ]);

  it('answers 404 for unknown institutions and managers', async () => {
    await asCaller('admin', http().get('/api/v1/institutions/NOPE')).expect(404);
    await asCaller('admin', http().get('/api/v1/managers/NOPE')).expect(404);
    await asCaller('admin', http().put('/api/v1/managers/NOPE'))
      .send({
        name: 'x',
        institutionId: ORG.outletC1,
        roles: ['relationship-manager'],
        active: true,
        reason: 'x',
      })
      .expect(404);
  });
});
