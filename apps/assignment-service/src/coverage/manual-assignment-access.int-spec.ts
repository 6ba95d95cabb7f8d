import {
  ALL_CALLERS,
  C_KEYB,
  C_LC,
  Caller,
  accessTestService,
  asCaller,
  itNamesTheBadField,
} from '../testing/access.fixture';
import { MANAGERS, ORG } from '../testing/bank.fixture';

const { http } = accessTestService('manual-assignment');

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
  it.each(ALL_CALLERS)('PUT then DELETE the manager at the primary institution, as %s', async (caller) => {
    const path = `/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`;
    const put = await asCaller(caller, http().put(path)).send({
      managerId: MANAGERS.a2.id,
      reason: 'steady relationship',
    });
    expect(put.status).toBe(pinStatus[caller]);
    const del = await asCaller(caller, http().delete(`${path}?reason=rules%20again`));
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
  it.each(ALL_CALLERS)(
    'PUT then DELETE the private banker of a key customer of branch B, as %s',
    async (caller) => {
      const path = `/api/v1/customers/${C_KEYB}/private-banker`;
      const put = await asCaller(caller, http().put(path)).send({
        managerId: MANAGERS.privateBanker.id,
        reason: 'key customer',
      });
      expect(put.status).toBe(bankerStatus[caller]);
      const del = await asCaller(caller, http().delete(`${path}?reason=left`));
      expect(del.status).toBe(bankerStatus[caller]);
      if (put.status === 200) {
        expect(put.body).toMatchObject({ keyCustomer: true, privateBankerId: MANAGERS.privateBanker.id });
        expect(del.body.privateBankerId).toBeNull();
      }
    },
  );

  it('refuses a private banker for a customer who is not a key customer, and a manager of another institution', async () => {
    await asCaller('headA', http().put(`/api/v1/customers/${C_LC}/private-banker`))
      .send({ managerId: MANAGERS.privateBanker.id, reason: 'x' })
      .expect(422)
      .expect((res) => expect(res.body.code).toBe('NOT_KEY_CUSTOMER'));
    await asCaller(
      'headA',
      http().put(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`),
    )
      .send({ managerId: MANAGERS.b1.id, reason: 'x' })
      .expect(422)
      .expect((res) => expect(res.body.code).toBe('MANAGER_NOT_ELIGIBLE'));
  });
});

describe('manual assignment: bad input and unknown ids', () => {
  itNamesTheBadField([
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
      'private banker removal reason',
      () => http().delete(`/api/v1/customers/${C_KEYB}/private-banker`),
      'reason',
    ],
    [
      'NUL in a body field',
      () =>
        http()
          .put(`/api/v1/customers/${C_KEYB}/private-banker`)
          .send({ managerId: 'PB-A', reason: 'a\u0000b' }),
      'reason',
    ],
  ]);

  it('answers 404 for an unknown manager, and for an institution that does not cover the customer', async () => {
    await asCaller(
      'admin',
      http().put(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletA2}/manager`),
    )
      .send({ managerId: 'NOPE', reason: 'x' })
      .expect(404);
    await asCaller(
      'admin',
      http().delete(`/api/v1/customers/${C_LC}/coverage/institutions/${ORG.outletB1}/manager?reason=x`),
    ).expect(404);
  });
});
