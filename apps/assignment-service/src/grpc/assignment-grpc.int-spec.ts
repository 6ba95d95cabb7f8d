import { status } from '@grpc/grpc-js';
import { ASSIGNMENT_PROTO } from '@crm/contracts';
import { GrpcTestClient } from '@crm/service-harness';
import { ALL_CALLERS, C_LC, Caller, accessTestService } from '../testing/access.fixture';
import { CALLERS, ORG } from '../testing/bank.fixture';

const { service } = accessTestService('grpc');

describe('gRPC coverage lookup', () => {
  let client: GrpcTestClient;

  beforeAll(() => {
    client = new GrpcTestClient(service.grpcAddress, ASSIGNMENT_PROTO, 'AssignmentService');
  });

  afterAll(() => client?.close());

  const invoke = async <T>(method: 'GetCoverage' | 'ListCoveredCustomers', req: object, caller: Caller) => {
    const { code, response } = await client.call<T>(
      method,
      req,
      caller === 'anonymous' ? undefined : CALLERS[caller],
    );
    return { code, value: response };
  };

  const expectedCode: Record<Caller, status> = {
    managerA1: status.NOT_FOUND,
    managerA2: status.OK,
    managerB1: status.OK,
    headA: status.OK,
    headB: status.OK,
    headC: status.NOT_FOUND,
    admin: status.OK,
    system: status.OK,
    lobby: status.PERMISSION_DENIED,
    anonymous: status.UNAUTHENTICATED,
  };
  it.each(ALL_CALLERS)('GetCoverage of C-LC as %s', async (caller) => {
    const res = await invoke<{ customerId: string; primary: { institutionId: string; reason: string } }>(
      'GetCoverage',
      { customerId: C_LC },
      caller,
    );
    expect(res.code).toBe(expectedCode[caller]);
    if (res.code === status.OK)
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
    expect((await invoke('GetCoverage', { customerId: '' }, 'admin')).code).toBe(status.INVALID_ARGUMENT);
    expect((await invoke('ListCoveredCustomers', { managerId: 'RM-A1', pageSize: 500 }, 'admin')).code).toBe(
      status.INVALID_ARGUMENT,
    );
    expect((await invoke('ListCoveredCustomers', { pageSize: 5 }, 'admin')).code).toBe(
      status.INVALID_ARGUMENT,
    );
    expect((await invoke('ListCoveredCustomers', { managerId: 'NOPE' }, 'admin')).code).toBe(
      status.NOT_FOUND,
    );
  });
});
