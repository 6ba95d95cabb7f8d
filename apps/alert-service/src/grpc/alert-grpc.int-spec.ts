import { ClientReadableStream, ServiceError, status } from '@grpc/grpc-js';
import { ALERT_PROTO } from '@crm/contracts';
import { Role } from '@crm/security';
import { GrpcTestClient, ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { eventually, until } from '@crm/testing';
import { ALERT_SERVICE } from '../service';
import { AlertEventFeed, automatic } from '../testing/alert-events.fixture';

interface Alert {
  id: string;
  kind: string;
  customerId: string;
  subjectRef: string;
  status: string;
  managerId?: string;
  secondaryManagerId?: string;
  acknowledgedBy?: string;
  resolvedBy?: string;
  outcome?: string;
  amount?: { amount: string; currency: string };
}

/** The alert inbox over gRPC, as a bank system calls it: the same scope, roles and checks as over REST. */
describe('alert-service gRPC', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'grpc' });
  const feed = new AlertEventFeed(harness);
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, BR, OUT1, OUT2] = ['HO', 'BR', 'OUT1', 'OUT2'].map(id);
  const [C1, C2, M1, M2] = ['C1', 'C2', 'M1', 'M2'].map(id);
  const token = (claims: TestTokenClaims) => testToken(claims);
  const manager1 = token({ roles: [Role.RelationshipManager], inst: OUT1, mgr: M1 });
  const manager2 = token({ roles: [Role.RelationshipManager], inst: OUT2, mgr: M2 });
  const stranger = token({ roles: [Role.RelationshipManager], inst: OUT1, mgr: id('M9') });
  const branchHead = token({ roles: [Role.InstitutionHead], inst: BR });
  const lobby = token({ roles: [Role.LobbyManager], inst: OUT1 });
  const system = token({ roles: [Role.System], inst: HO, sub: 'case-system' });
  let grpc: GrpcTestClient;

  const list = (request: object, as: string) =>
    grpc.call<{ items?: Alert[]; nextCursor?: string }>('ListAlerts', request, as);
  const customersOf = (alerts: Alert[] | undefined) => (alerts ?? []).map((a) => a.customerId).sort();

  /** A WatchAlerts call and what it has received so far. */
  const watch = (request: object, as: string) => {
    const call: ClientReadableStream<Alert> = grpc.stream<Alert>('WatchAlerts', request, as);
    const received: Alert[] = [];
    const ended = new Promise<ServiceError>((resolve) => call.on('error', resolve));
    call.on('data', (alert: Alert) => received.push(alert));
    return { call, received, ended };
  };

  beforeAll(async () => {
    await harness.start();
    grpc = new GrpcTestClient(harness.grpcAddress, ALERT_PROTO, 'AlertService');
    await feed.branchWithTwoOutlets({ HO, BR, OUT1, OUT2 });
    await feed.coverage(C1, automatic(OUT1, M1), [automatic(OUT2, M2, 'deposit')]);
    await feed.coverage(C2, automatic(OUT2, null));
    await harness.drained();
    await feed.credit(C1, OUT2, '600000.00');
    await feed.credit(C2, OUT2, '700000.00');
    await harness.drained();
    await until(
      () => harness.query(`SELECT id FROM $schema.alert`),
      (rows) => rows.length >= 2,
    );
  }, 90_000);

  afterAll(async () => {
    grpc?.close();
    await harness.destroy();
  }, 60_000);

  it('lists the caller’s alerts in their scope, with money as decimal strings and no empty fields', async () => {
    const mine = await list({}, manager1);
    expect(mine.code).toBe(status.OK);
    expect(mine.response!.items).toHaveLength(1);
    const [alert] = mine.response!.items!;
    expect(alert).toMatchObject({
      kind: 'large-inflow',
      customerId: C1,
      managerId: M1,
      secondaryManagerId: M2,
      amount: { amount: '600000.00', currency: 'CNY' },
      status: 'open',
    });
    expect(alert).not.toHaveProperty('acknowledgedAt');
    expect(customersOf((await list({}, manager2)).response!.items)).toEqual([C1]);
    expect(customersOf((await list({}, branchHead)).response!.items)).toEqual([C1, C2].sort());
    expect(customersOf((await list({ customerId: C2 }, system)).response!.items)).toEqual([C2]);
    expect((await list({}, stranger)).response!.items ?? []).toEqual([]);
  });

  it('pages with the cursor it returns', async () => {
    const first = await list({ limit: 1 }, branchHead);
    expect(first.response!.items).toHaveLength(1);
    const second = await list({ limit: 1, cursor: first.response!.nextCursor }, branchHead);
    expect(second.response!.items).toHaveLength(1);
    expect(second.response!.items![0].id).not.toBe(first.response!.items![0].id);
    expect(second.response!.nextCursor).toBeUndefined();
  });

  it('refuses without a token, a role that works no alerts, and names the field of a bad request', async () => {
    expect(await list({}, '')).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await list({}, lobby)).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await list({ kind: 'nope' }, manager1)).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: expect.stringContaining('kind'),
    });
    expect(await list({ limit: 500 }, manager1)).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: expect.stringContaining('limit'),
    });
  });

  it('acknowledges and resolves within the scope, and finds nothing outside it', async () => {
    const [alert] = (await list({ customerId: C1 }, manager1)).response!.items!;
    expect(await grpc.call('GetAlert', { alertId: alert.id }, stranger)).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await grpc.call('AcknowledgeAlert', { alertId: alert.id }, stranger)).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await grpc.call('GetAlert', { alertId: 'not-a-uuid' }, manager1)).toMatchObject({
      code: status.NOT_FOUND,
    });
    const acknowledged = await grpc.call<Alert>('AcknowledgeAlert', { alertId: alert.id }, manager1);
    expect(acknowledged.response).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: expect.any(String),
    });
    expect(await grpc.call('ResolveAlert', { alertId: alert.id, outcome: '' }, manager1)).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: expect.stringContaining('outcome'),
    });
    const resolved = await grpc.call<Alert>(
      'ResolveAlert',
      { alertId: alert.id, outcome: '已电话联系客户，资金用于购房' },
      manager1,
    );
    expect(resolved.response).toMatchObject({ status: 'resolved', outcome: '已电话联系客户，资金用于购房' });
    expect(await grpc.call('ResolveAlert', { alertId: alert.id, outcome: 'again' }, manager1)).toMatchObject({
      code: status.ALREADY_EXISTS,
    });
    const audited = await harness.query<{ action: string }>(
      `SELECT action FROM $schema.audit_log WHERE resource_id = $1 ORDER BY occurred_at`,
      [alert.id],
    );
    expect(audited.map((r) => r.action)).toEqual(['alert.acknowledge', 'alert.resolve']);
  });

  it('feeds each new alert to the watchers whose scope and kinds it falls in, and to no one else', async () => {
    const forManager1 = watch({ kinds: ['large-inflow'] }, manager1);
    const forBranch = watch({}, branchHead);
    const forStranger = watch({}, stranger);
    const otherKinds = watch({ kinds: ['loan-overdue'] }, branchHead);
    // Admitted (scope resolved, feed subscribed) once a canary alert reaches the watchers in its scope.
    let canaries = 0;
    await eventually(async () => {
      await feed.credit(C1, OUT1, '500000.00', `K${++canaries}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return forManager1.received.length > 0 && forBranch.received.length > 0;
    });
    await eventually(
      async () => forBranch.received.length === canaries && forManager1.received.length === canaries,
    );
    for (const w of [forManager1, forBranch]) w.received.length = 0;
    await feed.credit(C1, OUT1, '800000.00', 'B');
    await feed.credit(C2, OUT2, '900000.00', 'B');
    await eventually(async () => forBranch.received.length === 2 && forManager1.received.length === 1);
    expect(forManager1.received[0]).toMatchObject({
      customerId: C1,
      subjectRef: `B-${C1}`,
      amount: { amount: '800000.00', currency: 'CNY' },
      status: 'open',
    });
    expect(customersOf(forBranch.received)).toEqual([C1, C2].sort());
    expect(forStranger.received).toEqual([]);
    expect(otherKinds.received).toEqual([]);
    for (const w of [forManager1, forBranch, forStranger, otherKinds]) w.call.cancel();
    expect((await forManager1.ended).code).toBe(status.CANCELLED);
  });

  it('refuses a watcher without a token or with an unknown kind', async () => {
    expect((await watch({}, '').ended).code).toBe(status.UNAUTHENTICATED);
    const bad = await watch({ kinds: ['nope'] }, manager1).ended;
    expect(bad).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('kinds') });
  });
});
