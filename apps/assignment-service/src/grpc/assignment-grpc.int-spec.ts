import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ALL_CALLERS, C_LC, Caller, accessTestService } from '../testing/access.fixture';
import { CALLERS, ORG } from '../testing/bank.fixture';
import { ASSIGNMENT_PROTO_PATH } from './assignment-grpc.controller';

const { service } = accessTestService('grpc');

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
  it.each(ALL_CALLERS)('GetCoverage of C-LC as %s', async (caller) => {
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
