import request from 'supertest';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { until } from '@crm/testing';
import { ALERT_SERVICE } from '../service';
import { AlertEventFeed, automatic } from '../testing/alert-events.fixture';

interface Routed {
  customer_id: string;
  manager_id: string | null;
  routed_to: string;
  status: string;
}

/** A new customer's alerts raised before coverage names their manager, then the coverage event. */
describe('open alerts follow coverage to the manager (real stack)', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'reroute' });
  const feed = new AlertEventFeed(harness);
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, OUT, HEAD, MANAGER] = ['HO', 'OUT', 'HEAD', 'MGR'].map(id);
  /** NEW: alert still open at the head's; TAKEN: the head acknowledged it before coverage came. */
  const [NEW, TAKEN] = ['NEW', 'TAKEN'].map(id);
  const routes = () =>
    harness.query<Routed>(
      `SELECT customer_id, manager_id, routed_to, status FROM $schema.alert WHERE customer_id = ANY($1) ORDER BY customer_id`,
      [[NEW, TAKEN]],
    );

  beforeAll(async () => {
    await harness.start();
    await feed.institution(HO, null, 'head-office');
    await feed.institution(OUT, HO, 'outlet');
    await feed.institutionHead(HEAD, OUT);
    // The organisation topic is not ordered with the transactions: the head is known before they come.
    await harness.drained();
    for (const customerId of [NEW, TAKEN]) await feed.credit(customerId, OUT, '600000.00');
    await harness.drained();
    await until(routes, (rows) => rows.length === 2);
  }, 90_000);

  afterAll(() => harness.destroy(), 60_000);

  it('moves the open alerts the head holds for want of a manager to the manager coverage names', async () => {
    expect(await routes()).toEqual([
      { customer_id: NEW, manager_id: HEAD, routed_to: 'institution-head', status: 'open' },
      { customer_id: TAKEN, manager_id: HEAD, routed_to: 'institution-head', status: 'open' },
    ]);
    const head = `Bearer ${testToken({ sub: HEAD, roles: [Role.InstitutionHead], inst: OUT })}`;
    const [taken] = await harness.query<{ id: string }>(
      `SELECT id FROM $schema.alert WHERE customer_id = $1`,
      [TAKEN],
    );
    await request(harness.app.getHttpServer())
      .post(`/api/v1/alerts/${taken.id}/acknowledge`)
      .set('Authorization', head)
      .expect(201);

    for (const customerId of [NEW, TAKEN]) await feed.coverage(customerId, automatic(OUT, MANAGER));
    await harness.drained();

    expect(await routes()).toEqual([
      { customer_id: NEW, manager_id: MANAGER, routed_to: 'primary-manager', status: 'open' },
      // Acknowledged by the head: theirs to finish, not taken from them.
      { customer_id: TAKEN, manager_id: HEAD, routed_to: 'institution-head', status: 'acknowledged' },
    ]);
    const manager = `Bearer ${testToken({ sub: MANAGER, roles: [Role.RelationshipManager], inst: OUT, mgr: MANAGER })}`;
    const inbox = await request(harness.app.getHttpServer())
      .get('/api/v1/alerts')
      .set('Authorization', manager)
      .expect(200);
    expect(inbox.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([NEW]);
  }, 90_000);
});
