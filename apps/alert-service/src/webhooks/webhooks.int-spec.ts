import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Role } from '@crm/security';
import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { eventually, until } from '@crm/testing';
import { ALERT_SERVICE } from '../service';
import { AlertEventFeed, automatic } from '../testing/alert-events.fixture';
import { verifyWebhook } from './webhook-signature';

interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  answered: number;
}

/**
 * A bank system's endpoint, for real over HTTP: it records every request and answers each path as told
 * (a status, or a run of them for the attempts in turn).
 */
class Receiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, number[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        const queue = this.answers.get(path) ?? [];
        const answered = queue.length > 1 ? queue.shift()! : (queue[0] ?? 200);
        this.received.push({
          path,
          id: String(req.headers['webhook-id']),
          timestamp: String(req.headers['webhook-timestamp']),
          signature: String(req.headers['webhook-signature']),
          body,
          answered,
        });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, statuses);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const alertOf = (r: Received) => (JSON.parse(r.body) as { data: { customerId: string; id: string } }).data;

describe('alert webhooks to a real receiver', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, {
    name: 'webhooks',
    env: {
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '2000',
    },
  });
  const feed = new AlertEventFeed(harness);
  const receiver = new Receiver();
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, BR, OUT1, OUT2] = ['HO', 'BR', 'OUT1', 'OUT2'].map(id);
  const [C1, C2, M1] = ['C1', 'C2', 'M1'].map(id);
  const token = (claims: TestTokenClaims) => `Bearer ${testToken(claims)}`;
  const caseSystem = token({ roles: [Role.System], inst: HO, sub: 'case-system' });
  const manager1 = token({ roles: [Role.RelationshipManager], inst: OUT1, mgr: M1, sub: 'manager-1' });
  const otherSystem = token({ roles: [Role.System], inst: HO, sub: 'other-system' });
  let server: ReturnType<ServiceHarness['app']['getHttpServer']>;
  let credit = 0;

  const subscribe = async (as: string, path: string, kinds?: string[]) =>
    (
      await request(server)
        .post('/api/v1/webhooks')
        .set('Authorization', as)
        .send({ url: `${receiver.url}${path}`, ...(kinds ? { kinds } : {}) })
        .expect(201)
    ).body as { id: string; secret: string };
  /** A fresh large inflow for the customer: one alert. */
  const inflow = (customerId: string, institutionId: string) =>
    feed.credit(customerId, institutionId, '600000.00', `A${++credit}`);

  beforeAll(async () => {
    server = (await harness.start()).getHttpServer();
    await receiver.start();
    await feed.branchWithTwoOutlets({ HO, BR, OUT1, OUT2 });
    await feed.coverage(C1, automatic(OUT1, M1));
    await feed.coverage(C2, automatic(OUT2, null));
    await harness.drained();
  }, 90_000);

  afterAll(async () => {
    await harness.destroy();
    await receiver.close();
  }, 60_000);

  it('posts each new alert, signed, to the subscribers whose scope and kinds it falls in', async () => {
    const all = await subscribe(caseSystem, '/all');
    const mine = await subscribe(manager1, '/manager-1', ['large-inflow']);
    const overdueOnly = await subscribe(caseSystem, '/overdue', ['loan-overdue']);
    expect(all.secret).toMatch(/^whsec_/);
    await inflow(C1, OUT1);
    await inflow(C2, OUT2);
    await eventually(async () => receiver.at('/all').length === 2 && receiver.at('/manager-1').length === 1);
    expect(
      receiver
        .at('/all')
        .map((r) => alertOf(r).customerId)
        .sort(),
    ).toEqual([C1, C2].sort());
    expect(alertOf(receiver.at('/manager-1')[0]).customerId).toBe(C1);
    const now = { nowSeconds: Math.floor(Date.now() / 1000), toleranceSeconds: 300 };
    for (const r of receiver.at('/all')) expect(verifyWebhook(all.secret, r, r.body, now)).toBe(true);
    const [forManager] = receiver.at('/manager-1');
    expect(verifyWebhook(mine.secret, forManager, forManager.body, now)).toBe(true);
    expect(verifyWebhook(all.secret, forManager, forManager.body, now)).toBe(false);
    expect(JSON.parse(forManager.body)).toMatchObject({
      type: 'alert.raised',
      data: { kind: 'large-inflow', customerId: C1, amount: { amount: '600000.00', currency: 'CNY' } },
    });
    expect(receiver.at('/overdue')).toEqual([]);
    const listed = await request(server).get('/api/v1/webhooks').set('Authorization', caseSystem).expect(200);
    expect(listed.body.map((w: { id: string }) => w.id).sort()).toEqual([all.id, overdueOnly.id].sort());
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('retries a failing receiver with the same webhook-id, and delivers once it answers 2xx', async () => {
    const hook = await subscribe(caseSystem, '/flaky');
    receiver.answer('/flaky', 500, 503, 204);
    await inflow(C1, OUT1);
    await eventually(async () => receiver.at('/flaky').some((r) => r.answered === 204));
    const attempts = receiver.at('/flaky');
    expect(attempts.map((r) => r.answered)).toEqual([500, 503, 204]);
    expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
    const deliveries = await request(server)
      .get(`/api/v1/webhooks/${hook.id}/deliveries`)
      .set('Authorization', caseSystem)
      .expect(200);
    expect(deliveries.body).toEqual([
      expect.objectContaining({ id: attempts[0].id, status: 'delivered', attempts: 3, lastStatus: 204 }),
    ]);
  });

  it('gives up after the last attempt, shows the delivery dead, and sends it again on request', async () => {
    const hook = await subscribe(caseSystem, '/down');
    receiver.answer('/down', 500);
    await inflow(C2, OUT2);
    const dead = await until(
      async () =>
        (
          await request(server)
            .get(`/api/v1/webhooks/${hook.id}/deliveries?status=dead`)
            .set('Authorization', caseSystem)
        ).body as { id: string; attempts: number; lastStatus: number }[],
      (rows) => rows.length === 1,
    );
    expect(dead[0]).toMatchObject({ attempts: 3, lastStatus: 500 });
    expect(receiver.at('/down')).toHaveLength(3);
    receiver.answer('/down', 200);
    await request(server)
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${dead[0].id}/redeliver`)
      .set('Authorization', caseSystem)
      .expect(200);
    await eventually(async () => receiver.at('/down').some((r) => r.answered === 200));
    expect(receiver.at('/down').at(-1)!.id).toBe(dead[0].id);
    await request(server)
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${dead[0].id}/redeliver`)
      .set('Authorization', caseSystem)
      .expect(409);
  });

  it('keeps a subscriber to its own webhooks, stops a deleted one, and audits the changes', async () => {
    const hook = await subscribe(caseSystem, '/stopped');
    await request(server).get(`/api/v1/webhooks/${hook.id}`).set('Authorization', otherSystem).expect(404);
    await request(server).delete(`/api/v1/webhooks/${hook.id}`).set('Authorization', otherSystem).expect(404);
    await request(server).delete(`/api/v1/webhooks/${hook.id}`).set('Authorization', caseSystem).expect(204);
    const before = receiver.received.length;
    await inflow(C1, OUT1);
    await eventually(async () => receiver.received.length > before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at('/stopped')).toEqual([]);
    const audit = await harness.query<{ action: string }>(
      `SELECT action FROM $schema.audit_log WHERE resource_id = $1 ORDER BY occurred_at`,
      [hook.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.delete']);
  });

  it.each([
    [{ url: 'ftp://example.com/x' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'https://example.com/x', kinds: ['nope'] }, 'kinds'],
    [{ url: 'https://example.com/x', extra: 1 }, 'extra'],
  ])('refuses %j naming the field', async (body, field) => {
    const res = await request(server)
      .post('/api/v1/webhooks')
      .set('Authorization', caseSystem)
      .send(body)
      .expect(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('refuses a caller without a token, or with a role that works no alerts', async () => {
    await request(server).get('/api/v1/webhooks').expect(401);
    const lobby = token({ roles: [Role.LobbyManager], inst: OUT1 });
    await request(server).get('/api/v1/webhooks').set('Authorization', lobby).expect(403);
  });
});
