import { status } from '@grpc/grpc-js';
import request from 'supertest';
import { Permission, Role } from '@crm/security';
import { CUSTOMER_PROTO } from '@crm/contracts';
import { GrpcTestClient, ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { CUSTOMER_SERVICE } from '../service';
import { smallBank } from '../testing/small-bank.fixture';

type CustomerKey = 'CA' | 'CB' | 'CC';

interface Caller {
  name: string;
  claims: TestTokenClaims;
  /** What the caller may see of each customer: all holdings, those at some institutions, or nothing. */
  sees: Partial<Record<CustomerKey, 'all' | string[]>>;
}

const CALLERS: Caller[] = [
  {
    name: 'relationship manager (primary manager of CA)',
    claims: { roles: [Role.RelationshipManager], inst: 'O11', mgr: 'M11' },
    sees: { CA: 'all' },
  },
  {
    name: 'primary institution head (B1)',
    claims: { roles: [Role.InstitutionHead], inst: 'B1' },
    sees: { CA: 'all' },
  },
  {
    name: 'secondary institution head (O21)',
    claims: { roles: [Role.InstitutionHead], inst: 'O21' },
    sees: { CA: ['O21'], CC: 'all' },
  },
  {
    name: 'other-branch head (B3)',
    claims: { roles: [Role.InstitutionHead], inst: 'B3' },
    sees: { CB: 'all' },
  },
  {
    name: 'head-office admin',
    claims: { roles: [Role.HeadOfficeAdmin], inst: 'HO' },
    sees: { CA: 'all', CB: 'all', CC: 'all' },
  },
  {
    name: 'bank system',
    claims: { roles: [Role.System], inst: 'HO', sub: 'core-portal' },
    sees: { CA: 'all', CB: 'all', CC: 'all' },
  },
];

const KEYS: CustomerKey[] = ['CA', 'CB', 'CC'];

describe('role × scope matrix over every endpoint (REST and gRPC)', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, { name: 'matrix' });
  const bank = smallBank(h.clock, h.suffix, 17);
  let grpc: GrpcTestClient;
  const http = () => request(h.app.getHttpServer());

  beforeAll(async () => {
    await h.start();
    await h.publish(...bank.events);
    await h.drained();
    grpc = new GrpcTestClient(h.grpcAddress, CUSTOMER_PROTO, 'CustomerService');
  });

  afterAll(async () => {
    grpc?.close();
    await h.destroy();
  });

  const idOf = (key: CustomerKey) => bank.ids[key];
  const visibleIds = (caller: Caller) =>
    KEYS.filter((k) => caller.sees[k])
      .map(idOf)
      .sort();

  describe.each(CALLERS)('$name', (caller) => {
    const token = () => testToken(caller.claims);

    it.each(KEYS)('360 of %s: only within scope, holdings only where visible', async (key) => {
      const res = await http()
        .get(`/api/v1/customers/${idOf(key)}/360`)
        .set('Authorization', `Bearer ${token()}`);
      const sees = caller.sees[key];
      if (!sees) {
        expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain(bank.customers[key].name);
        return;
      }
      expect(res.status).toBe(200);
      const institutions = new Set(
        [...res.body.holdings.accounts, ...res.body.holdings.loans, ...res.body.holdings.cards].map(
          (hd: { institutionId: string }) => hd.institutionId,
        ),
      );
      if (sees === 'all') {
        expect(res.body.holdings.visibility).toBe('all');
      } else {
        expect(res.body.holdings.visibility).toBe('institutions');
        expect([...institutions].every((i) => sees.includes(i))).toBe(true);
      }
      if (key === 'CA') {
        expect(res.body.holdings.totals).toEqual(
          sees === 'all'
            ? { aum: '1200.00', deposits: '1200.00', wealth: '0.00', loans: '50000.00', cards: '0.00' }
            : { aum: '200.00', deposits: '200.00', wealth: '0.00', loans: '0.00', cards: '0.00' },
        );
        expect(res.body.coverage.primary).toEqual({ institutionId: 'O11', managerId: 'M11' });
      }
    });

    it('search returns exactly the customers in scope, with the amounts the caller may see', async () => {
      const res = await http()
        .post('/api/v1/customers/search')
        .set('Authorization', `Bearer ${token()}`)
        .send({ filter: {} })
        .expect(200);
      const items = res.body.items as { id: string; aum: string; loans: string }[];
      expect(items.map((i) => i.id)).toEqual(visibleIds(caller));
      const ca = items.find((i) => i.id === idOf('CA'));
      if (ca)
        expect([ca.aum, ca.loans]).toEqual(
          caller.sees.CA === 'all' ? ['1200.00', '50000.00'] : ['200.00', '0.00'],
        );
      // A filter on an amount the caller cannot see finds nothing through it.
      const loans = await http()
        .post('/api/v1/customers/search')
        .set('Authorization', `Bearer ${token()}`)
        .send({ filter: { loanBalance: { min: '1.00' } } })
        .expect(200);
      expect(loans.body.items.map((i: { id: string }) => i.id)).toEqual(
        caller.sees.CA === 'all' ? [idOf('CA')] : [],
      );
    });

    it('CSV export holds the same customers and amounts', async () => {
      const res = await http()
        .post('/api/v1/customers/search/export')
        .set('Authorization', `Bearer ${token()}`)
        .send({ filter: {} })
        .buffer(true)
        .parse((response, done) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => done(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...rows] = (res.body as string).trim().split('\r\n');
      expect(header.split(',')[0]).toBe('id');
      expect(rows.map((r) => r.split(',')[0]).sort()).toEqual(visibleIds(caller));
      for (const key of KEYS) {
        if (!caller.sees[key]) expect(res.body).not.toContain(bank.customers[key].name);
      }
      expect(res.body).not.toContain(bank.customers.CA.phone);
    });

    it('gRPC GetCustomer, BatchGetCustomers and SearchCustomers apply the same scope', async () => {
      for (const key of KEYS) {
        const got = await grpc.call<{ holdings: { aum: string; visibility: string } }>(
          'GetCustomer',
          { customerId: idOf(key) },
          token(),
        );
        if (!caller.sees[key]) {
          expect(got.code).toBe(status.NOT_FOUND);
          continue;
        }
        expect(got.code).toBe(status.OK);
        if (key === 'CA')
          expect(got.response!.holdings.aum).toBe(caller.sees.CA === 'all' ? '1200.00' : '200.00');
      }
      const batch = await grpc.call<{ customers: { profile: { id: string } }[]; notFoundIds: string[] }>(
        'BatchGetCustomers',
        { customerIds: KEYS.map(idOf) },
        token(),
      );
      expect(batch.code).toBe(status.OK);
      expect(batch.response!.customers.map((c) => c.profile.id).sort()).toEqual(visibleIds(caller));
      expect((batch.response!.notFoundIds ?? []).sort()).toEqual(
        KEYS.filter((k) => !caller.sees[k])
          .map(idOf)
          .sort(),
      );
      const search = await grpc.call<{ items?: { id: string }[] }>('SearchCustomers', {}, token());
      expect(search.code).toBe(status.OK);
      expect((search.response!.items ?? []).map((i) => i.id)).toEqual(visibleIds(caller));
    });

    it('consent, consent history and tags: in scope or 404', async () => {
      for (const key of KEYS) {
        const consent = await http()
          .put(`/api/v1/customers/${idOf(key)}/consent/sms`)
          .set('Authorization', `Bearer ${token()}`)
          .send({ status: 'opted-out', source: 'branch' });
        expect(consent.status).toBe(caller.sees[key] ? 204 : 404);
        const history = await http()
          .get(`/api/v1/customers/${idOf(key)}/consent/history`)
          .set('Authorization', `Bearer ${token()}`);
        expect(history.status).toBe(caller.sees[key] ? 200 : 404);
        const tag = await http()
          .post(`/api/v1/customers/${idOf(key)}/tags`)
          .set('Authorization', `Bearer ${token()}`)
          .send({ tag: 'matrix' });
        const untag = await http()
          .delete(`/api/v1/customers/${idOf(key)}/tags/matrix`)
          .set('Authorization', `Bearer ${token()}`);
        if (caller.claims.roles.includes(Role.System)) {
          expect([tag.status, untag.status]).toEqual([403, 403]);
        } else {
          expect([tag.status, untag.status]).toEqual(caller.sees[key] ? [204, 204] : [404, 404]);
        }
      }
    });
  });

  it('prospects belong to the recording manager’s institution and manager', async () => {
    const rm = testToken({
      roles: [Role.RelationshipManager],
      inst: 'O11',
      mgr: 'M11',
      perms: [Permission.PiiWrite],
    });
    const created = await http()
      .post('/api/v1/prospects')
      .set('Authorization', `Bearer ${rm}`)
      .send({ kind: 'individual', name: '赵六', phone: '13700001111' })
      .expect(201);
    const path = `/api/v1/prospects/${created.body.id}`;
    const statusFor = async (claims: TestTokenClaims) =>
      (
        await http()
          .get(path)
          .set('Authorization', `Bearer ${testToken(claims)}`)
      ).status;
    expect(await statusFor({ roles: [Role.RelationshipManager], inst: 'O11', mgr: 'M11' })).toBe(200);
    expect(await statusFor({ roles: [Role.InstitutionHead], inst: 'B1' })).toBe(200);
    expect(await statusFor({ roles: [Role.HeadOfficeAdmin], inst: 'HO' })).toBe(200);
    expect(await statusFor({ roles: [Role.RelationshipManager], inst: 'O31', mgr: 'M31' })).toBe(404);
    expect(await statusFor({ roles: [Role.InstitutionHead], inst: 'B3' })).toBe(404);
    expect(await statusFor({ roles: [Role.System], inst: 'HO' })).toBe(403);
    // Matching needs the customer in the caller's own scope.
    await http()
      .post(`${path}/match`)
      .set('Authorization', `Bearer ${rm}`)
      .send({ customerId: bank.ids.CB })
      .expect(404);
  });

  describe('callers without a customer role or without a token', () => {
    const endpoints = (): [string, string, object?][] => [
      ['get', `/api/v1/customers/${bank.ids.CA}/360`],
      ['post', '/api/v1/customers/search', {}],
      ['post', '/api/v1/customers/search/export', {}],
      ['put', `/api/v1/customers/${bank.ids.CA}/consent/sms`, { status: 'opted-in', source: 'branch' }],
      ['get', `/api/v1/customers/${bank.ids.CA}/consent/history`],
      ['post', `/api/v1/customers/${bank.ids.CA}/tags`, { tag: 'x' }],
      ['delete', `/api/v1/customers/${bank.ids.CA}/tags/x`],
      ['post', '/api/v1/prospects', { kind: 'individual', name: 'x' }],
      ['get', '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11'],
      ['patch', '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11', { name: 'y' }],
      ['post', '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11/match', { customerId: 'C1' }],
    ];

    it('a lobby manager (no customer data role) gets 403 everywhere, PERMISSION_DENIED on gRPC', async () => {
      const lobby = testToken({ roles: [Role.LobbyManager], inst: 'O11', perms: [Permission.PiiRead] });
      for (const [method, path, body] of endpoints()) {
        const res = await (http() as unknown as Record<string, (p: string) => request.Test>)
          [method](path)
          .set('Authorization', `Bearer ${lobby}`)
          .send(body);
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 403 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      for (const [method, req] of [
        ['GetCustomer', { customerId: bank.ids.CA }],
        ['BatchGetCustomers', { customerIds: [bank.ids.CA] }],
        ['SearchCustomers', {}],
      ] as const) {
        expect((await grpc.call(method, req, lobby)).code).toBe(status.PERMISSION_DENIED);
      }
    });

    it('no token or a forged one is 401 everywhere, UNAUTHENTICATED on gRPC', async () => {
      for (const [method, path, body] of endpoints()) {
        const res = await (http() as unknown as Record<string, (p: string) => request.Test>)
          [method](path)
          .send(body);
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 401 });
        const forged = await (http() as unknown as Record<string, (p: string) => request.Test>)
          [method](path)
          .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl')
          .send(body);
        expect(forged.status).toBe(401);
      }
      for (const [method, req] of [
        ['GetCustomer', { customerId: bank.ids.CA }],
        ['BatchGetCustomers', { customerIds: [bank.ids.CA] }],
        ['SearchCustomers', {}],
      ] as const) {
        expect((await grpc.call(method, req)).code).toBe(status.UNAUTHENTICATED);
        expect((await grpc.call(method, req, 'not-a-jwt')).code).toBe(status.UNAUTHENTICATED);
      }
    });
  });
});
