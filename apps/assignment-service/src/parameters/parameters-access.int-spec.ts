import { CoverageChangedPayload } from '@crm/contracts';
import { eventually } from '@crm/testing';
import {
  ALL_CALLERS,
  C_KEYB,
  Caller,
  accessTestService,
  asCaller,
  itNamesTheBadField,
  parametersChange,
} from '../testing/access.fixture';

const { http } = accessTestService('parameters-access');

describe('parameters: roles', () => {
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
  it.each(ALL_CALLERS)('reads the parameter history as %s', async (caller) => {
    await asCaller(caller, http().get('/api/v1/parameters/history')).expect(historyReaders[caller]);
  });

  it('lets head office change the parameters, keeps every version and re-flags key customers', async () => {
    const res = await asCaller('admin', http().put('/api/v1/parameters'))
      .send({ ...parametersChange('raise the bar'), keyCustomerAssetThreshold: '3000000.00' })
      .expect(200);
    expect(res.body).toMatchObject({
      version: 2,
      keyCustomerAssetThreshold: '3000000.00',
      updatedBy: 'admin-1',
    });
    const history = await asCaller('headA', http().get('/api/v1/parameters/history')).expect(200);
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const coverage = await eventually(async () => {
      const body = (await asCaller('admin', http().get(`/api/v1/customers/${C_KEYB}/coverage`)))
        .body as CoverageChangedPayload;
      return body.keyCustomer === false ? body : undefined;
    });
    expect(coverage.note).toContain('bank parameters changed (version 2)');
    await asCaller('admin', http().put('/api/v1/parameters')).send(parametersChange('back')).expect(200);
    await eventually(async () => {
      const body = (await asCaller('admin', http().get(`/api/v1/customers/${C_KEYB}/coverage`)))
        .body as CoverageChangedPayload;
      return body.keyCustomer ? true : undefined;
    });
  });
});

describe('parameters: bad input', () => {
  itNamesTheBadField([
    [
      'parameters money',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parametersChange('x'), keyCustomerAssetThreshold: '1.005' }),
      'keyCustomerAssetThreshold',
    ],
    [
      'parameters negative',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parametersChange('x'), visitDutyLoanThreshold: '-1.00' }),
      'visitDutyLoanThreshold',
    ],
    [
      'parameters number money',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parametersChange('x'), keyCustomerLoanThreshold: 5000000 }),
      'keyCustomerLoanThreshold',
    ],
    [
      'parameters years',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parametersChange('x'), keyCustomerCleanYears: 0 }),
      'keyCustomerCleanYears',
    ],
    [
      'parameters visits',
      () =>
        http()
          .put('/api/v1/parameters')
          .send({ ...parametersChange('x'), visitDutyMinVisitsPerMonth: 1.5 }),
      'visitDutyMinVisitsPerMonth',
    ],
    ['parameter history cursor', () => http().get('/api/v1/parameters/history?cursor=WyJ4Il0'), 'cursor'],
  ]);
});
