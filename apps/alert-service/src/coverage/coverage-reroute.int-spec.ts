import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EventTypes,
  Topics,
  eventDefinitionOf,
  type EventEnvelope,
} from '@crm/contracts';
import { EventPublisher, ensureTopics } from '@crm/messaging';
import { Role, signDevToken } from '@crm/security';
import { AlertServiceHarness } from '../testing/alert-service.harness';
import { TEST_SECRETS } from '@crm/testing';

interface Routed {
  customer_id: string;
  manager_id: string | null;
  routed_to: string;
  status: string;
}

/** A new customer's alerts raised before coverage names their manager, then the coverage event. */
describe('open alerts follow coverage to the manager (real stack)', () => {
  const harness = new AlertServiceHarness();
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, OUT, HEAD, MANAGER] = ['HO', 'OUT', 'HEAD', 'MGR'].map(id);
  /** NEW: alert still open at the head's; TAKEN: the head acknowledged it before coverage came. */
  const [NEW, TAKEN] = ['NEW', 'TAKEN'].map(id);
  let publisher: EventPublisher;
  const published = new Set<string>();
  let clock = Date.now();

  const publish = async (type: string, subject: string, data: object) => {
    const envelope: EventEnvelope<object> = {
      id: randomUUID(),
      source: '/test/coverage-reroute',
      type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: new Date((clock += 1000)).toISOString(),
      subject,
      data,
    };
    published.add(envelope.id);
    await publisher.publish([{ topic: `${harness.topicPrefix}${eventDefinitionOf(type)!.topic}`, envelope }]);
  };
  const drained = () =>
    harness.until(
      () => harness.processedCount(),
      (n) => n >= published.size,
    );
  const routes = () =>
    harness.query<Routed>(
      `SELECT customer_id, manager_id, routed_to, status FROM $schema.alert WHERE customer_id = ANY($1) ORDER BY customer_id`,
      [[NEW, TAKEN]],
    );

  beforeAll(async () => {
    await harness.start();
    publisher = new EventPublisher(harness.kafka);
    await ensureTopics(
      harness.kafka,
      [Topics.CorebankOrganisation, Topics.CrmAssignment, Topics.CorebankTransaction].map(
        (t) => `${harness.topicPrefix}${t}`,
      ),
    );
    for (const [institutionId, parentId, level] of [
      [HO, null, 'head-office'],
      [OUT, HO, 'outlet'],
    ] as const) {
      await publish(EventTypes.InstitutionUpserted, institutionId, {
        institutionId,
        name: institutionId,
        level,
        parentId,
        regionCode: '330106',
        active: true,
      });
    }
    await publish(EventTypes.ManagerUpserted, HEAD, {
      managerId: HEAD,
      name: '王芳',
      institutionId: OUT,
      roles: ['institution-head'],
      active: true,
    });
    for (const customerId of [NEW, TAKEN]) {
      await publish(EventTypes.TransactionPosted, customerId, {
        transactionId: randomUUID(),
        accountId: `A-${customerId}`,
        customerId,
        institutionId: OUT,
        creditDebitIndicator: 'CRDT',
        amount: { amount: '600000.00', currency: 'CNY' },
        bookingDate: new Date(clock).toISOString(),
        valueDate: new Date(clock).toISOString().slice(0, 10),
        bankTransactionCode: 'PMNT-RCDT-DMCT',
        channel: 'online',
        balanceAfter: { amount: '600000.00', currency: 'CNY' },
      });
    }
    await drained();
    await harness.until(routes, (rows) => rows.length === 2);
  }, 90_000);

  afterAll(async () => {
    await publisher?.disconnect();
    await harness.destroy();
  }, 60_000);

  it('moves the open alerts the head holds for want of a manager to the manager coverage names', async () => {
    expect(await routes()).toEqual([
      { customer_id: NEW, manager_id: HEAD, routed_to: 'institution-head', status: 'open' },
      { customer_id: TAKEN, manager_id: HEAD, routed_to: 'institution-head', status: 'open' },
    ]);
    const head = `Bearer ${signDevToken({ sub: HEAD, roles: [Role.InstitutionHead], inst: OUT }, TEST_SECRETS)}`;
    const [taken] = await harness.query<{ id: string }>(
      `SELECT id FROM $schema.alert WHERE customer_id = $1`,
      [TAKEN],
    );
    await request(harness.app!.getHttpServer())
      .post(`/api/v1/alerts/${taken.id}/acknowledge`)
      .set('Authorization', head)
      .expect(201);

    for (const customerId of [NEW, TAKEN]) {
      await publish(EventTypes.CoverageChanged, customerId, {
        customerId,
        version: 1,
        primary: { institutionId: OUT, managerId: MANAGER, reason: 'largest-deposit', basis: 'automatic' },
        secondary: [],
        keyCustomer: false,
        privateBankerId: null,
        changedAt: new Date(clock).toISOString(),
        changedBy: 'system',
        note: 'coverage after the first alert',
      });
    }
    await drained();

    expect(await routes()).toEqual([
      { customer_id: NEW, manager_id: MANAGER, routed_to: 'primary-manager', status: 'open' },
      // Acknowledged by the head: theirs to finish, not taken from them.
      { customer_id: TAKEN, manager_id: HEAD, routed_to: 'institution-head', status: 'acknowledged' },
    ]);
    const manager = `Bearer ${signDevToken(
      { sub: MANAGER, roles: [Role.RelationshipManager], inst: OUT, mgr: MANAGER },
      TEST_SECRETS,
    )}`;
    const inbox = await request(harness.app!.getHttpServer())
      .get('/api/v1/alerts')
      .set('Authorization', manager)
      .expect(200);
    expect(inbox.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([NEW]);
  }, 90_000);
});
