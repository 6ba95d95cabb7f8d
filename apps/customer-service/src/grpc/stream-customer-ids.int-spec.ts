import { once } from 'node:events';
import { Pool } from 'pg';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CUSTOMER_PROTO } from '@crm/contracts';
import { ServiceError, status } from '@grpc/grpc-js';
import { Role } from '@crm/security';
import { GrpcTestClient, ServiceHarness, testToken } from '@crm/service-harness';
import { eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../service';
import { smallBank } from '../testing/small-bank.fixture';
import { CustomerIdBatch } from './customer-grpc.controller';

/** Customers of outlet O31 loaded straight into the tables: enough ids to fill the call's flow-control window. */
const BULK = 20_000;
/** The slow reader's stream: this many messages, of a few kilobytes each. */
const SLOW_BATCHES = 100;

describe('gRPC StreamCustomerIds: target lists in a scope, streamed in batches', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, { name: 'stream' });
  const bank = smallBank(h.clock, h.suffix, 53);
  const system = testToken({ roles: [Role.System], inst: 'HO', sub: 'campaign-service' });
  let grpc: GrpcTestClient;
  let bulkIds: string[];

  const ids = (batches: CustomerIdBatch[]) => batches.flatMap((b) => b.customers.map((c) => c.id));
  const stream = (request: object, token = system) =>
    grpc.collect<CustomerIdBatch>('StreamCustomerIds', request, token);
  const pool = () => (h.dataSource.driver as PostgresDriver).master as Pool;

  beforeAll(async () => {
    await h.start();
    await h.publish(...bank.events);
    await h.drained();
    bulkIds = Array.from({ length: BULK }, (_, i) => `CZ${bank.suffix}${String(i).padStart(5, '0')}`);
    await h.query(
      `INSERT INTO $schema.customer (id, kind, name, region_code, home_institution_id, phone_enc, phone_hash, profile_as_of)
       SELECT id, 'individual', 'bulk', '330106', 'O31', 'none', 'none', now() FROM unnest($1::text[]) AS id`,
      [bulkIds],
    );
    await h.query(
      `INSERT INTO $schema.coverage (customer_id, version, primary_institution_id, primary_manager_id, key_customer, changed_at)
       SELECT id, 1, 'O31', 'M31', false, now() FROM unnest($1::text[]) AS id`,
      [bulkIds],
    );
    grpc = new GrpcTestClient(h.grpcAddress, CUSTOMER_PROTO, 'CustomerService');
  });

  afterAll(async () => {
    grpc?.close();
    await h.destroy();
  });

  it("gives a system acting for an institution that subtree's matches, primary or secondary, in the institution's view of holdings", async () => {
    const { CA, CB, CC } = bank.ids;
    const scoped = async (scopeInstitutionId: string, filter = {}) =>
      ids((await stream({ scopeInstitutionId, filter })).response!);
    expect(await scoped('O11')).toEqual([CA]);
    expect(await scoped('O21')).toEqual([CA, CC]);
    expect(await scoped('B2')).toEqual([CA, CC]);
    expect(await scoped('B3')).toEqual([CB, ...bulkIds]);
    // At O21, CA is a secondary customer: only the 150.00 held there counts, CC's 400.00 all does.
    expect(await scoped('O21', { aum: { min: '300.00' } })).toEqual([CC]);
    expect(await scoped('O11', { aum: { min: '300.00' } })).toEqual([CA]);
    // The filter as campaign-service sends it: CA's loan is held at O11, outside O21's view.
    expect(await scoped('B1', { holdsProductKinds: ['loan'], regionCodes: ['330106'] })).toEqual([CA]);
    expect(await scoped('O21', { holdsProductKinds: ['loan'] })).toEqual([]);
  });

  it('streams in batches of the asked size, ids in order, each with its primary institution', async () => {
    const { response } = await stream({ scopeInstitutionId: 'O31', batchSize: 5_000 });
    expect(response!.map((b) => b.customers.length)).toEqual([5_000, 5_000, 5_000, 5_000, 1]);
    expect(ids(response!)).toEqual([bank.ids.CB, ...bulkIds]);
    expect(response![0].customers[0]).toMatchObject({ id: bank.ids.CB, primaryInstitutionId: 'O31' });
  });

  it('gives any other caller their own scope, and refuses them an institution to act for', async () => {
    const head = testToken({ roles: [Role.InstitutionHead], inst: 'B2' });
    const admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
    expect(ids((await stream({}, head)).response!)).toEqual([bank.ids.CA, bank.ids.CC]);
    expect(await stream({ scopeInstitutionId: 'B2' }, head)).toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    expect(await stream({ scopeInstitutionId: 'O21' }, admin)).toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    expect(await stream({ scopeInstitutionId: 'NOPE' })).toMatchObject({ code: status.PERMISSION_DENIED });
  });

  it('answers INVALID_ARGUMENT naming the field for a bad filter or batch size', async () => {
    expect(await stream({ filter: { aum: { min: 'lots' } } })).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: expect.stringContaining('filter.aum.min'),
    });
    expect(await stream({ batchSize: 0 })).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: expect.stringContaining('batchSize'),
    });
  });

  describe('a slow reader', () => {
    let acquired = 0;
    beforeAll(() => pool().on('acquire', () => acquired++));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const connectionsBack = () =>
      eventually(async () => pool().totalCount === pool().idleCount && pool().waitingCount === 0);
    const slowCall = (deadline?: Date) => {
      const call = grpc.stream<CustomerIdBatch>(
        'StreamCustomerIds',
        { scopeInstitutionId: 'O31', batchSize: BULK / SLOW_BATCHES },
        system,
        deadline,
      );
      const ended = new Promise<ServiceError>((resolve) => call.on('error', resolve));
      return { call, ended };
    };

    it('is waited for, not buffered for; cancelling stops the search and gives its connection back', async () => {
      const start = acquired;
      const { call, ended } = slowCall();
      await once(call, 'data');
      call.pause();
      // The server reads until the call's flow-control window is full, then waits for room.
      let seen = -1;
      await eventually(async () => {
        await sleep(400);
        const idle = acquired - seen <= 1; // the outbox relay's poll aside
        seen = acquired;
        return idle;
      });
      expect(acquired - start).toBeLessThan(SLOW_BATCHES / 2);
      call.cancel();
      expect((await ended).code).toBe(status.CANCELLED);
      await connectionsBack();
      expect(await stream({ scopeInstitutionId: 'O11' })).toMatchObject({ code: status.OK });
    });

    it('ends DEADLINE_EXCEEDED when the deadline passes first, and gives its connection back', async () => {
      const { call, ended } = slowCall(new Date(Date.now() + 500));
      await once(call, 'data');
      call.pause();
      expect((await ended).code).toBe(status.DEADLINE_EXCEEDED);
      await connectionsBack();
    });
  });
});
