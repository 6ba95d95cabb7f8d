import request from 'supertest';
import { status } from '@grpc/grpc-js';
import { CUSTOMER_PROTO, CustomerRegisteredPayload, EventTypes, gb11643CheckDigit } from '@crm/contracts';
import { Permission, Role } from '@crm/security';
import { GrpcTestClient, ServiceHarness, testToken } from '@crm/service-harness';
import { eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../service';
import { smallBank } from '../testing/small-bank.fixture';

/** A resident ID not used by the fixture: 330106 + 1990-02-02 + sequence + check digit. */
const PROSPECT_ID_NUMBER = `33010619900202001${gb11643CheckDigit('33010619900202001')}`;

describe('customer-service REST API: search, export, prospects, consent, tags, bad input', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, { name: 'api' });
  const bank = smallBank(h.clock, h.suffix, 31);
  let grpc: GrpcTestClient;
  const http = () => request(h.app.getHttpServer());
  let admin: string;
  /** Head office with pii:read: may search by ID or phone number. */
  let searcher: string;
  let rm: string;
  /** The same manager holding pii:write: may set ID and phone numbers and birth dates. */
  let rmWriter: string;
  const extra: CustomerRegisteredPayload[] = [];

  beforeAll(async () => {
    await h.start();
    // Twenty more customers of outlet O11 for paging and export.
    const more = [];
    for (let i = 0; i < 20; i++) {
      const c: CustomerRegisteredPayload = {
        ...bank.customers.CA,
        customerId: `CX${bank.suffix}${String(i).padStart(2, '0')}`,
        name: `客户${i}`,
        phone: `1370000${String(1000 + i)}`,
        idNumber: undefined,
        kind: 'individual',
      };
      c.idNumber = bank.customers.CB.idNumber; // valid and shared: search by hash must then find several
      extra.push(c);
      more.push(h.clock.envelope(EventTypes.CustomerRegistered, c.customerId, c));
      more.push(
        h.clock.envelope(EventTypes.CoverageChanged, c.customerId, {
          customerId: c.customerId,
          version: 1,
          primary: { institutionId: 'O11', managerId: 'M11', reason: 'deposit', basis: 'automatic' },
          secondary: [],
          keyCustomer: i % 2 === 0,
          privateBankerId: null,
          changedAt: new Date().toISOString(),
          changedBy: 'system',
          note: 'rules',
        }),
      );
    }
    const all = [...bank.events, ...more];
    await h.publish(...all);
    await h.drained();
    admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
    searcher = testToken({
      roles: [Role.HeadOfficeAdmin],
      inst: 'HO',
      perms: [Permission.PiiRead],
      sub: 'searcher-1',
    });
    rm = testToken({ roles: [Role.RelationshipManager], inst: 'O11', mgr: 'M11', sub: 'rm-m11' });
    rmWriter = testToken({
      roles: [Role.RelationshipManager],
      inst: 'O11',
      mgr: 'M11',
      sub: 'rm-m11',
      perms: [Permission.PiiWrite],
    });
    grpc = new GrpcTestClient(h.grpcAddress, CUSTOMER_PROTO, 'CustomerService');
  });

  afterAll(async () => {
    grpc?.close();
    await h.destroy();
  });

  describe('search', () => {
    it('pages with an opaque keyset cursor without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await http()
          .post('/api/v1/customers/search')
          .set('Authorization', `Bearer ${rm}`)
          .send({ pageSize: 7, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      const expected = [bank.ids.CA, ...extra.map((c) => c.customerId)].sort();
      expect(seen).toEqual(expected);
    });

    it('combines conditions: key customers of a manager with an exact ID number', async () => {
      const res = await http()
        .post('/api/v1/customers/search')
        .set('Authorization', `Bearer ${searcher}`)
        .send({
          filter: {
            idNumber: bank.customers.CB.idNumber,
            coverage: { managerId: 'M11', keyCustomer: true, institutionId: 'B1' },
            kind: 'individual',
            age: { min: 18, max: 120 },
            regionCodes: ['330106'],
          },
        })
        .expect(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(
        extra.filter((_, i) => i % 2 === 0).map((c) => c.customerId),
      );
      expect(res.body.items[0].idNumber).toMatch(/^\d{3}\*+\d{3}[\dX]$/);
      const audit = await h.query(
        `SELECT customer_id, details FROM $schema.audit_log
         WHERE action = 'customer.pii.search' AND actor_id = 'searcher-1' ORDER BY customer_id`,
      );
      expect(audit).toEqual(
        res.body.items.map((i: { id: string }) => ({
          customer_id: i.id,
          details: { fields: ['idNumber'], channel: 'rest', matches: res.body.items.length },
        })),
      );
    });

    it.each([
      ['search', '/api/v1/customers/search', { idNumber: '330106198501010011' }],
      ['search', '/api/v1/customers/search', { phone: '13700001000' }],
      ['export', '/api/v1/customers/search/export', { phone: '13700001000' }],
    ])('refuses a %s by ID or phone number without pii:read (403)', async (_, path, filter) => {
      const res = await http()
        .post(path)
        .set('Authorization', `Bearer ${admin}`)
        .send({ filter })
        .expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'PII_READ_REQUIRED', status: 403 });
    });

    it('audits an exact-match search that finds nobody, and answers it over gRPC only with pii:read', async () => {
      await http()
        .post('/api/v1/customers/search')
        .set('Authorization', `Bearer ${searcher}`)
        .send({ filter: { phone: '13799999999' } })
        .expect(200, { items: [], nextCursor: null });
      const [probe] = await h.query(
        `SELECT customer_id, details FROM $schema.audit_log
         WHERE action = 'customer.pii.search' AND actor_id = 'searcher-1' AND details->>'matches' = '0'`,
      );
      expect(probe).toEqual({
        customer_id: null,
        details: { fields: ['phone'], channel: 'rest', matches: 0 },
      });
      expect((await grpc.call('SearchCustomers', { phone: extra[0].phone }, admin)).code).toBe(
        status.PERMISSION_DENIED,
      );
      const found = await grpc.call<{ items: { id: string }[] }>(
        'SearchCustomers',
        { phone: extra[0].phone },
        searcher,
      );
      expect(found.response?.items.map((i) => i.id)).toEqual([extra[0].customerId]);
    });

    it('filters by holdings, products, activity, tags and maturity', async () => {
      const find = async (filter: object) =>
        (
          await http()
            .post('/api/v1/customers/search')
            .set('Authorization', `Bearer ${admin}`)
            .send({ filter })
            .expect(200)
        ).body.items.map((i: { id: string }) => i.id);
      expect(await find({ aum: { min: '1100.00', max: '1300.00' } })).toEqual([bank.ids.CA]);
      expect(await find({ depositBalance: { min: '2999.99' } })).toEqual([bank.ids.CB]);
      expect(await find({ holds: { productKinds: ['loan'] } })).toEqual([bank.ids.CA]);
      expect(
        await find({ holds: { productKinds: ['savings'] }, doesNotHold: { productKinds: ['credit-card'] } }),
      ).toEqual([bank.ids.CB, bank.ids.CC].sort());
      expect(await find({ cardStatuses: ['active'] })).toEqual([bank.ids.CA]);
      expect(
        await find({ activity: { lastTransactionAfter: new Date(Date.now() - 3_600_000).toISOString() } }),
      ).toEqual([bank.ids.CA]);
      expect(
        await find({
          activity: {
            transactionCount: {
              from: new Date(Date.now() - 86_400_000).toISOString(),
              to: new Date(Date.now() + 86_400_000).toISOString(),
              min: 1,
            },
          },
        }),
      ).toEqual([bank.ids.CA]);
      expect(await find({ maturingWithinDays: 3650, coverage: { institutionId: 'B2' } })).toEqual([]);
      await http()
        .post(`/api/v1/customers/${bank.ids.CC}/tags`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ tag: 'wants-wealth' })
        .expect(204);
      expect(await find({ tags: ['wants-wealth'] })).toEqual([bank.ids.CC]);
      expect(await find({ valueTiers: ['top'] })).toEqual([]);
    });

    it('streams the CSV export of every matching row, chunked, PII masked', async () => {
      const res = await http()
        .post('/api/v1/customers/search/export')
        .set('Authorization', `Bearer ${rm}`)
        .send({})
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
        })
        .expect(200);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['content-disposition']).toContain('customers.csv');
      const lines = (res.body as string).trim().split('\r\n');
      expect(lines).toHaveLength(1 + 1 + extra.length);
      for (const c of [...extra, bank.customers.CA]) {
        expect(res.body).not.toContain(c.phone);
        expect(res.body).not.toContain(c.idNumber);
      }
      expect(lines[1]).toMatch(/,139\*{4}\d{4},/);
    });
  });

  describe('360 with pii:read', () => {
    it('reveals ID and phone numbers and writes an audit record naming the fields, never the values', async () => {
      const token = testToken({
        roles: [Role.HeadOfficeAdmin],
        inst: 'HO',
        perms: [Permission.PiiRead],
        sub: 'auditor-1',
      });
      const res = await http()
        .get(`/api/v1/customers/${bank.ids.CA}/360`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body.profile.phone).toBe(bank.customers.CA.phone);
      expect(res.body.profile.idNumber).toBe(bank.customers.CA.idNumber);
      expect(res.body.profile.birthDate).toBe(bank.customers.CA.birthDate);
      const audit = await h.query(
        `SELECT action, details, actor_id FROM $schema.audit_log WHERE customer_id = $1 AND actor_id = 'auditor-1'`,
        [bank.ids.CA],
      );
      expect(audit).toEqual([
        {
          action: 'customer.pii.read',
          actor_id: 'auditor-1',
          details: { fields: ['birthDate', 'idNumber', 'phone'] },
        },
      ]);
      const masked = await http()
        .get(`/api/v1/customers/${bank.ids.CA}/360`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(masked.body.profile.phone).not.toBe(bank.customers.CA.phone);
      expect(masked.body.profile.birthDate).toBe(`${bank.customers.CA.birthDate!.slice(0, 4)}-**-**`);
      expect(masked.body.profile.age).toEqual(expect.any(Number));
    });

    it('summarises recent transactions', async () => {
      const res = await http()
        .get(`/api/v1/customers/${bank.ids.CA}/360`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(res.body.recentTransactions).toMatchObject({
        days: 90,
        count: 1,
        credits: '50.00',
        debits: '0.00',
      });
      expect(res.body.recentTransactions.last.amount).toBe('50.00');
    });
  });

  describe('consent', () => {
    it('keeps the current choice per channel and the full history (who, when, source)', async () => {
      const path = `/api/v1/customers/${bank.ids.CB}/consent`;
      await http()
        .put(`${path}/sms`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ status: 'opted-out', source: 'sms-reply' })
        .expect(204);
      await http()
        .put(`${path}/sms`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ status: 'opted-in', source: 'branch', note: 'asked at the counter' })
        .expect(204);
      await http()
        .put(`${path}/email`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ status: 'opted-out', source: 'online-banking' })
        .expect(204);
      const view = await http()
        .get(`/api/v1/customers/${bank.ids.CB}/360`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(
        view.body.consent.map((c: { channel: string; status: string }) => [c.channel, c.status]),
      ).toEqual([
        ['email', 'opted-out'],
        ['sms', 'opted-in'],
      ]);
      const history = await http().get(`${path}/history`).set('Authorization', `Bearer ${admin}`).expect(200);
      expect(history.body.map((e: { status: string; source: string }) => [e.status, e.source])).toEqual([
        ['opted-out', 'sms-reply'],
        ['opted-in', 'branch'],
        ['opted-out', 'online-banking'],
      ]);
      expect(history.body[1]).toMatchObject({ note: 'asked at the counter', changedBy: expect.any(String) });
    });
  });

  describe('prospects', () => {
    it('need pii:write to set an ID or phone number or a birth date, and show the birth year only', async () => {
      const denied = await http()
        .post('/api/v1/prospects')
        .set('Authorization', `Bearer ${rm}`)
        .send({ kind: 'individual', name: '孙八', phone: '13600004444', birthDate: '1991-06-15' })
        .expect(403);
      expect(denied.body).toMatchObject({
        code: 'PII_WRITE_REQUIRED',
        detail: expect.stringContaining('phone'),
      });
      const created = await http()
        .post('/api/v1/prospects')
        .set('Authorization', `Bearer ${rmWriter}`)
        .send({ kind: 'individual', name: '孙八', phone: '13600004444', birthDate: '1991-06-15' })
        .expect(201);
      expect(created.body).toMatchObject({ birthDate: '1991-**-**', phone: '136****4444' });
      await http()
        .patch(`/api/v1/prospects/${created.body.id}`)
        .set('Authorization', `Bearer ${rm}`)
        .send({ birthDate: '1991-06-16' })
        .expect(403);
      await http()
        .patch(`/api/v1/prospects/${created.body.id}`)
        .set('Authorization', `Bearer ${rm}`)
        .send({ note: 'no personal identifiers here' })
        .expect(200);
    });

    it('are matched to a core customer when one arrives with the same ID number (keyed hash)', async () => {
      const created = await http()
        .post('/api/v1/prospects')
        .set('Authorization', `Bearer ${rmWriter}`)
        .send({
          kind: 'individual',
          name: '钱七',
          idNumber: PROSPECT_ID_NUMBER,
          phone: '13600002222',
          regionCode: '330106',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        idNumber: `330***********${PROSPECT_ID_NUMBER.slice(-4)}`,
        phone: '136****2222',
        match: null,
        managerId: 'M11',
      });
      const customerId = `CP${bank.suffix}`;
      await h.publish(
        h.clock.envelope(EventTypes.CustomerRegistered, customerId, {
          ...bank.customers.CA,
          customerId,
          name: '钱七',
          idNumber: PROSPECT_ID_NUMBER,
          birthDate: '1990-02-02',
        }),
      );
      const matched = await eventually(async () => {
        const res = await http()
          .get(`/api/v1/prospects/${created.body.id}`)
          .set('Authorization', `Bearer ${rm}`);
        return res.body.match ? res.body : undefined;
      });
      expect(matched.match).toMatchObject({ customerId, method: 'id-number-hash', matchedBy: null });
    });

    it('are matched by hand, once, with who did it recorded', async () => {
      const created = await http()
        .post('/api/v1/prospects')
        .set('Authorization', `Bearer ${rm}`)
        .send({ kind: 'corporate', name: '杭州测试有限公司' })
        .expect(201);
      const path = `/api/v1/prospects/${created.body.id}`;
      const edited = await http()
        .patch(path)
        .set('Authorization', `Bearer ${rmWriter}`)
        .send({ note: 'met at fair', phone: '13900003333' })
        .expect(200);
      expect(edited.body).toMatchObject({ note: 'met at fair', phone: '139****3333' });
      const matched = await http()
        .post(`${path}/match`)
        .set('Authorization', `Bearer ${rm}`)
        .send({ customerId: bank.ids.CA })
        .expect(200);
      expect(matched.body.match).toMatchObject({
        customerId: bank.ids.CA,
        method: 'manual',
        matchedBy: 'rm-m11',
      });
      const again = await http()
        .post(`${path}/match`)
        .set('Authorization', `Bearer ${rm}`)
        .send({ customerId: bank.ids.CA })
        .expect(409);
      expect(again.body.code).toBe('PROSPECT_ALREADY_MATCHED');
    });
  });

  describe('bad input is a 4xx problem naming the field, never a 5xx', () => {
    const cases: [string, string, string, object | undefined, string][] = [
      ['post', '/api/v1/customers/search', 'unknown field', { filter: { colour: 'red' } }, 'filter.colour'],
      [
        'post',
        '/api/v1/customers/search',
        'min above max',
        { filter: { aum: { min: '5.00', max: '1.00' } } },
        'filter.aum.max',
      ],
      [
        'post',
        '/api/v1/customers/search',
        'amount as a number',
        { filter: { loanBalance: { min: 5 } } },
        'filter.loanBalance.min',
      ],
      [
        'post',
        '/api/v1/customers/search',
        'age range upside down',
        { filter: { age: { min: 60, max: 20 } } },
        'filter.age.max',
      ],
      ['post', '/api/v1/customers/search', 'bad cursor', { cursor: 'bogus' }, 'cursor'],
      ['post', '/api/v1/customers/search', 'page too large', { pageSize: 10_000 }, 'pageSize'],
      [
        'post',
        '/api/v1/customers/search',
        'bad timestamp',
        { filter: { activity: { lastTransactionAfter: 'yesterday' } } },
        'filter.activity.lastTransactionAfter',
      ],
      [
        'post',
        '/api/v1/customers/search/export',
        'unknown top-level field',
        { filter: {}, pageSize: 5 },
        'pageSize',
      ],
      [
        'post',
        '/api/v1/customers/search/export',
        'bad product kind',
        { filter: { holds: { productKinds: ['yacht'] } } },
        'filter.holds.productKinds',
      ],
      ['get', `/api/v1/customers/${'x'.repeat(65)}/360`, 'id too long', undefined, 'customerId'],
      [
        'put',
        '/api/v1/customers/C1/consent/fax',
        'unknown channel',
        { status: 'opted-in', source: 'branch' },
        'channel',
      ],
      [
        'put',
        '/api/v1/customers/C1/consent/sms',
        'unknown status',
        { status: 'maybe', source: 'branch' },
        'status',
      ],
      ['put', '/api/v1/customers/C1/consent/sms', 'missing source', { status: 'opted-in' }, 'source'],
      ['get', `/api/v1/customers/${'y'.repeat(65)}/consent/history`, 'id too long', undefined, 'customerId'],
      ['post', '/api/v1/customers/C1/tags', 'tag with spaces', { tag: 'Big Spender' }, 'tag'],
      ['post', '/api/v1/customers/C1/tags', 'no tag', {}, 'tag'],
      ['delete', '/api/v1/customers/C1/tags/NOT%20OK', 'bad tag', undefined, 'tag'],
      [
        'post',
        '/api/v1/prospects',
        'bad ID number',
        { kind: 'individual', name: 'x', idNumber: '11010519900307123Z' },
        'idNumber',
      ],
      ['post', '/api/v1/prospects', 'bad phone', { kind: 'individual', name: 'x', phone: '12345' }, 'phone'],
      ['post', '/api/v1/prospects', 'missing kind', { name: 'x' }, 'kind'],
      ['get', '/api/v1/prospects/not-a-uuid', 'bad prospect id', undefined, 'prospectId'],
      [
        'patch',
        '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11',
        'kind cannot change',
        { kind: 'corporate' },
        'kind',
      ],
      [
        'post',
        '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11/match',
        'no customer',
        {},
        'customerId',
      ],
    ];

    it.each(cases)('%s %s: %s', async (method, path, _what, body, field) => {
      const res = await (http() as unknown as Record<string, (p: string) => request.Test>)
        [method](path)
        .set('Authorization', `Bearer ${admin}`)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('malformed JSON is a 400 problem', async () => {
      const res = await http()
        .post('/api/v1/customers/search')
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/json')
        .send('{"filter": ');
      expect(res.status).toBe(400);
    });

    it('unknown ids are 404 problems', async () => {
      for (const path of [
        '/api/v1/customers/NOPE/360',
        '/api/v1/customers/NOPE/consent/history',
        '/api/v1/prospects/8b1c0c1e-9d5e-4b8e-8a43-0c3b1b0f1a11',
      ]) {
        const res = await http().get(path).set('Authorization', `Bearer ${admin}`);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
      await http()
        .delete(`/api/v1/customers/${bank.ids.CA}/tags/never-added`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(404);
    });

    it('gRPC answers INVALID_ARGUMENT naming the field', async () => {
      const cases: [string, object, string][] = [
        ['GetCustomer', {}, 'customer_id'],
        ['BatchGetCustomers', { customerIds: [] }, 'customer_ids'],
        [
          'BatchGetCustomers',
          { customerIds: Array.from({ length: 101 }, (_, i) => `C${i}`) },
          'customer_ids',
        ],
        ['SearchCustomers', { aum: { min: '10.00', max: '1.00' } }, 'filter.aum.max'],
        ['SearchCustomers', { pageSize: 0 }, 'pageSize'],
        ['SearchCustomers', { cursor: 'bogus' }, 'cursor'],
        ['SearchCustomers', { holdsProductKinds: ['yacht'] }, 'filter.holds.productKinds'],
      ];
      for (const [method, req, field] of cases) {
        const res = await grpc.call(method, req, admin);
        expect({ method, code: res.code }).toEqual({ method, code: status.INVALID_ARGUMENT });
        expect(res.message).toContain(field);
      }
      expect((await grpc.call('GetCustomer', { customerId: 'NOPE' }, admin)).code).toBe(status.NOT_FOUND);
    });
  });

  it('reports ready when Postgres and Kafka answer', async () => {
    const res = await http().get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up' } });
  });

  it('documents every endpoint with its errors at /docs', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => ({ path, m, op })),
    );
    const api = operations.filter((o) => o.path.startsWith('/api/v1/'));
    expect(api.map((o) => `${o.m} ${o.path}`).sort()).toEqual(
      [
        'get /api/v1/customers/{customerId}/360',
        'put /api/v1/customers/{customerId}/consent/{channel}',
        'get /api/v1/customers/{customerId}/consent/history',
        'post /api/v1/customers/{customerId}/tags',
        'delete /api/v1/customers/{customerId}/tags/{tag}',
        'post /api/v1/customers/search',
        'post /api/v1/customers/search/export',
        'post /api/v1/prospects',
        'get /api/v1/prospects/{prospectId}',
        'patch /api/v1/prospects/{prospectId}',
        'post /api/v1/prospects/{prospectId}/match',
      ].sort(),
    );
    for (const { path, m, op } of api) {
      expect({
        path,
        m,
        responses: Object.keys(op.responses).filter((s) => ['400', '401', '403'].includes(s)),
      }).toEqual({
        path,
        m,
        responses: ['400', '401', '403'],
      });
    }
  });
});
