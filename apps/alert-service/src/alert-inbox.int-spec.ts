import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Role } from '@crm/security';
import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { prefilledQueryParameters, until } from '@crm/testing';
import { alertChannelOf } from './alerts/alert-raiser.service';
import { ALERT_SERVICE } from './service';
import { AlertEventFeed, automatic } from './testing/alert-events.fixture';

describe('alert inbox API on the real stack', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'inbox' });
  const feed = new AlertEventFeed(harness);
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, BR, OUT1, OUT2] = ['HO', 'BR', 'OUT1', 'OUT2'].map(id);
  const [C1, C2, M1, M2, H2, PB] = ['C1', 'C2', 'M1', 'M2', 'H2', 'PB'].map(id);
  let server: ReturnType<ServiceHarness['app']['getHttpServer']>;

  const token = (claims: TestTokenClaims) => `Bearer ${testToken(claims)}`;
  const manager1 = token({ roles: [Role.RelationshipManager], inst: OUT1, mgr: M1 });
  const manager2 = token({ roles: [Role.RelationshipManager], inst: OUT2, mgr: M2 });
  const privateBanker = token({ roles: [Role.RelationshipManager], inst: HO, mgr: PB });
  const stranger = token({ roles: [Role.RelationshipManager], inst: OUT1, mgr: id('M9') });
  const branchHead = token({ roles: [Role.InstitutionHead], inst: BR });
  const outletHead = token({ roles: [Role.InstitutionHead], inst: OUT1 });
  const admin = token({ roles: [Role.HeadOfficeAdmin], inst: HO });

  beforeAll(async () => {
    server = (await harness.start()).getHttpServer();
    await feed.branchWithTwoOutlets({ HO, BR, OUT1, OUT2 });
    await feed.institutionHead(H2, OUT2);
    await feed.coverage(C1, automatic(OUT1, M1), [automatic(OUT2, M2, 'deposit')], PB);
    await feed.coverage(C2, automatic(OUT2, null));
    await harness.drained();
    // C1's inflow is booked at OUT2, a secondary institution; C2 has no manager.
    await feed.credit(C1, OUT2, '600000.00');
    await feed.credit(C2, OUT2, '700000.00');
    await harness.drained();
    await until(
      () => harness.query(`SELECT id FROM $schema.alert`),
      (rows) => rows.length >= 2,
    );
  }, 90_000);

  afterAll(() => harness.destroy(), 60_000);

  it('refuses a call without a token with problem details', async () => {
    const res = await request(server).get('/api/v1/alerts').expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('routes to the primary manager, adds the secondary institution’s manager for a fact at its outlet', async () => {
    const mine = await request(server).get('/api/v1/alerts').set('Authorization', manager1).expect(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({
      kind: 'large-inflow',
      customerId: C1,
      institutionId: OUT1,
      managerId: M1,
      routedTo: 'primary-manager',
      secondaryInstitutionId: OUT2,
      secondaryManagerId: M2,
      amount: { amount: '600000.00', currency: 'CNY' },
      status: 'open',
    });
    const theirs = await request(server).get('/api/v1/alerts').set('Authorization', manager2).expect(200);
    expect(theirs.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([C1]);
  });

  it('puts a customer without a manager in the queue of their primary institution’s head', async () => {
    const res = await request(server)
      .get(`/api/v1/alerts?customerId=${C2}`)
      .set('Authorization', admin)
      .expect(200);
    expect(res.body.items[0]).toMatchObject({
      institutionId: OUT2,
      managerId: H2,
      routedTo: 'institution-head',
    });
  });

  it('shows a private banker every alert of the customers they look after, and no others', async () => {
    const res = await request(server).get('/api/v1/alerts').set('Authorization', privateBanker).expect(200);
    expect(res.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([C1]);
    const alertId = res.body.items[0].id;
    await request(server).get(`/api/v1/alerts/${alertId}`).set('Authorization', privateBanker).expect(200);
  });

  it('shows a head their subtree only', async () => {
    const branch = await request(server).get('/api/v1/alerts').set('Authorization', branchHead).expect(200);
    expect(branch.body.items.map((a: { customerId: string }) => a.customerId).sort()).toEqual(
      [C1, C2].sort(),
    );
    const outlet = await request(server).get('/api/v1/alerts').set('Authorization', outletHead).expect(200);
    expect(outlet.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([C1]);
  });

  it('pages with a keyset cursor, without overlap, and counts by kind', async () => {
    const first = await request(server).get('/api/v1/alerts?limit=1').set('Authorization', admin).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await request(server)
      .get(`/api/v1/alerts?limit=1&cursor=${first.body.nextCursor}`)
      .set('Authorization', admin)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const counts = await request(server)
      .get('/api/v1/alerts/counts')
      .set('Authorization', branchHead)
      .expect(200);
    expect(counts.body).toEqual([{ kind: 'large-inflow', count: 2 }]);
  });

  it.each([
    ['kind=nope', 'kind'],
    ['cursor=garbage', 'cursor'],
    ['limit=0', 'limit'],
    ['from=yesterday', 'from'],
    ['from=2025-03-02T00:00:00%2B08:00&to=2025-03-01T00:00:00%2B08:00', 'to'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const res = await request(server).get(`/api/v1/alerts?${query}`).set('Authorization', admin).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('acknowledges and resolves with an outcome, audited; out of scope is not found', async () => {
    const [alert] = (await request(server).get('/api/v1/alerts').set('Authorization', manager1)).body.items;
    await request(server).get(`/api/v1/alerts/${alert.id}`).set('Authorization', stranger).expect(404);
    await request(server).get('/api/v1/alerts/not-a-uuid').set('Authorization', manager1).expect(404);
    const acked = await request(server)
      .post(`/api/v1/alerts/${alert.id}/acknowledge`)
      .set('Authorization', manager1)
      .expect(201);
    expect(acked.body.status).toBe('acknowledged');
    const bad = await request(server)
      .post(`/api/v1/alerts/${alert.id}/resolve`)
      .set('Authorization', manager1)
      .send({ outcome: '' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('outcome');
    const resolved = await request(server)
      .post(`/api/v1/alerts/${alert.id}/resolve`)
      .set('Authorization', manager1)
      .send({ outcome: '已联系客户：售房款到账，推荐大额存单' })
      .expect(201);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      outcome: '已联系客户：售房款到账，推荐大额存单',
    });
    await request(server)
      .post(`/api/v1/alerts/${alert.id}/resolve`)
      .set('Authorization', manager1)
      .send({ outcome: 'again' })
      .expect(409);
    const audit = await harness.query<{ action: string }>(
      `SELECT action FROM $schema.audit_log WHERE resource_id = $1 ORDER BY occurred_at`,
      [alert.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['alert.acknowledge', 'alert.resolve']);
  });

  it('validates and audits an institution’s thresholds, and applies them to events after the change', async () => {
    const defaults = (
      await request(server).get('/api/v1/alert-parameters/defaults').set('Authorization', admin).expect(200)
    ).body;
    const strict = {
      ...defaults,
      largeInflow: { singleAmount: '100000.00', windowTotal: '150000.00', windowHours: 24 },
    };
    const bad = await request(server)
      .put(`/api/v1/alert-parameters/institutions/${OUT1}`)
      .set('Authorization', admin)
      .send({ ...strict, largeInflow: { ...strict.largeInflow, windowHours: 500, singleAmount: 100000 } })
      .expect(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'largeInflow.singleAmount',
      'largeInflow.windowHours',
    ]);
    await request(server)
      .put(`/api/v1/alert-parameters/institutions/${OUT1}`)
      .set('Authorization', manager1)
      .send(strict)
      .expect(403);
    await request(server)
      .put(`/api/v1/alert-parameters/institutions/${OUT2}`)
      .set('Authorization', outletHead)
      .send(strict)
      .expect(403);
    await request(server)
      .put(`/api/v1/alert-parameters/institutions/nowhere`)
      .set('Authorization', admin)
      .send(strict)
      .expect(404);
    const set = await request(server)
      .put(`/api/v1/alert-parameters/institutions/${OUT1}`)
      .set('Authorization', outletHead)
      .send(strict)
      .expect(200);
    expect(set.body).toMatchObject({ institutionId: OUT1, setAt: OUT1, parameters: strict });

    // C1's primary institution is OUT1: 120000.00 is now large; C2 (OUT2) keeps the bank defaults.
    harness.clock.advanceTo(Date.now() + 60_000);
    // On other accounts: one alert per account and day, and the first accounts have theirs for today.
    await feed.credit(C1, OUT1, '120000.00', 'B');
    await feed.credit(C2, OUT2, '120000.00', 'B');
    await harness.drained();
    const c1 = await until(
      () =>
        harness.query<{ amount: string }>(`SELECT amount::text FROM $schema.alert WHERE customer_id = $1`, [
          C1,
        ]),
      (rows) => rows.length >= 2,
    );
    expect(c1.map((r) => r.amount).sort()).toEqual(['120000.00', '600000.00']);
    expect(await harness.query(`SELECT 1 FROM $schema.alert WHERE customer_id = $1`, [C2])).toHaveLength(1);
    const audit = await harness.query<{ action: string }>(
      `SELECT action FROM $schema.audit_log WHERE resource_type = 'alert-parameters'`,
    );
    expect(audit.map((a) => a.action)).toEqual(['alert-parameters.set']);
  });

  it('streams a new alert to the manager it concerns (Server-Sent Events)', async () => {
    const { port } = server.address() as AddressInfo;
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          agent: false,
          path: '/api/v1/alerts/stream',
          headers: { Authorization: manager2, Accept: 'text/event-stream' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n\n') && text.includes('event: alert')) {
              resolve(text);
              req.destroy();
            }
          });
        },
      );
      req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the stream subscribe before the event
    harness.clock.advance(3_600_000 * 30);
    await feed.credit(C1, OUT2, '800000.00');
    let timer: NodeJS.Timeout | undefined;
    const text = await Promise.race([
      received,
      new Promise<string>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no alert streamed in 30 s')), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const data = JSON.parse(/data: (.*)/.exec(text)![1]) as {
      customerId: string;
      amount: { amount: string };
    };
    expect(data).toMatchObject({ customerId: C1, amount: { amount: '800000.00' } });
  }, 45_000);

  it('ends a stream whose alert cannot be read, quietly, and goes on serving', async () => {
    const { port } = server.address() as AddressInfo;
    let request_: ReturnType<typeof httpRequest> | undefined;
    let text = '';
    const ended = new Promise<number>((resolve, reject) => {
      request_ = httpRequest(
        {
          port,
          agent: false,
          path: '/api/v1/alerts/stream',
          headers: { Authorization: manager2, Accept: 'text/event-stream' },
        },
        (res) => {
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      request_.on('error', reject);
      request_.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the stream subscribe first
    // An id that is no uuid makes the stream's read of it fail in the database.
    await harness.query(`SELECT pg_notify($1, 'not-a-uuid')`, [alertChannelOf(harness.schema)]);
    let timer: NodeJS.Timeout | undefined;
    const status = await Promise.race([
      ended,
      new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the stream did not end in 10 s')), 10_000);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      request_?.destroy();
    });
    expect(status).toBe(200);
    // Ended quietly: no error event carrying the database's message to the client.
    expect(text).not.toContain('event: error');
    await request(server).get('/health/live').expect(200);
    await request(server).get('/api/v1/alerts/counts').set('Authorization', manager2).expect(200);
  }, 30_000);

  describe('when the alert listener’s database connection is cut', () => {
    const listening = () => `LISTEN "${alertChannelOf(harness.schema)}"`;
    const listeners = async () =>
      (
        await harness.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1`, [
          listening(),
        ])
      ).map((row) => row.pid);
    const cutListeners = async () => {
      const [{ cut }] = await harness.query<{ cut: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE query = $1`,
        [listening()],
      );
      return cut;
    };

    /** Opens the alert stream as `authorization`; `received` waits for an event containing `fragment`. */
    const openStream = async (authorization: string) => {
      const { port } = server.address() as AddressInfo;
      let text = '';
      const req = httpRequest(
        {
          port,
          agent: false,
          path: '/api/v1/alerts/stream',
          headers: { Authorization: authorization, Accept: 'text/event-stream' },
        },
        (res) => res.on('data', (chunk: Buffer) => (text += chunk.toString())),
      );
      req.on('error', () => undefined);
      req.end();
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the stream subscribe first
      return {
        received: async (fragment: string) =>
          (
            await until(
              async () => text,
              (t) => t.includes(fragment),
              20_000,
            )
          ).includes(fragment),
        close: () => req.destroy(),
      };
    };

    it('listens again and streams the next alert to an open stream', async () => {
      const stream = await openStream(manager2);
      try {
        const before = await listeners();
        expect(await cutListeners()).toBe(1);
        const after = await until(
          listeners,
          (pids) => pids.length === 1 && !before.includes(pids[0]),
          10_000,
        );
        expect(after).toHaveLength(1);
        harness.clock.advance(3_600_000 * 30);
        await feed.credit(C1, OUT2, '910000.00', 'C');
        expect(await stream.received('"amount":"910000.00"')).toBe(true);
      } finally {
        stream.close();
      }
    }, 45_000);

    it('streams an alert committed while it was away, once it is back', async () => {
      const customer = id('C3');
      const stream = await openStream(manager2);
      try {
        await harness.dataSource.transaction(async (tx) => {
          const [{ id: alertId }] = (await tx.query(
            `INSERT INTO "${harness.schema}".alert (alert_key, kind, customer_id, subject_ref, period_key, severity,
               amount, currency, institution_id, manager_id, routed_to, reason, occurred_at)
             VALUES ($1, 'large-inflow', $2, 'A-C3', '2026-06-01', 'warning', 920000.00, 'CNY', $3, $4,
               'primary-manager', 'raised while the listener was away', now())
             RETURNING id`,
            [`replay-${customer}`, customer, OUT2, M2],
          )) as { id: string }[];
          await tx.query(`SELECT pg_notify($1, $2)`, [alertChannelOf(harness.schema), alertId]);
          // Committed right after the cut: before the listener is back, so its notification is lost.
          expect(await cutListeners()).toBe(1);
        });
        expect(await stream.received(`"customerId":"${customer}"`)).toBe(true);
      } finally {
        stream.close();
      }
    }, 45_000);
  });

  it('exposes alerts raised per kind, events per type, handler latency and consumer lag on /metrics', async () => {
    const text = (await request(server).get('/metrics').expect(200)).text;
    expect(text).toMatch(/crm_alerts_raised_total\{kind="large-inflow"\} [1-9]/);
    expect(text).toMatch(
      /crm_alert_events_evaluated_total\{type="bank\.corebank\.transaction\.posted\.v1"\} [1-9]/,
    );
    expect(text).toContain('crm_event_handler_seconds_bucket');
    expect(text).toContain('crm_consumer_lag');
  });

  it('documents every route in the Swagger console', async () => {
    const doc = (await request(server).get('/docs-json').expect(200)).body as {
      paths: Record<string, object>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/alerts',
        '/api/v1/alerts/counts',
        '/api/v1/alerts/stream',
        '/api/v1/alerts/{id}',
        '/api/v1/alerts/{id}/acknowledge',
        '/api/v1/alerts/{id}/resolve',
        '/api/v1/alert-parameters/defaults',
        '/api/v1/alert-parameters/institutions/{institutionId}',
      ]),
    );
  });

  it("leaves the console's query filters empty in Try it out (examples are in descriptions)", async () => {
    const doc = (await request(server).get('/docs-json').expect(200)).body;
    expect(prefilledQueryParameters(doc)).toEqual([]);
  });
});
