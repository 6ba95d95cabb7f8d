import request from 'supertest';
import { ConsentChangedPayload, EventTypes, Topics } from '@crm/contracts';
import { EventPublisher, OutboxRelay } from '@crm/messaging';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { EventProbe, eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../service';
import { smallBank } from '../testing/small-bank.fixture';

describe('consent changes published through the outbox (crm.customer)', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, { name: 'consent' });
  const bank = smallBank(h.clock, h.suffix, 47);
  const admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
  const topic = `${h.topicPrefix}${Topics.CrmCustomer}`;
  let probe: EventProbe;

  const putConsent = (customerId: string, channel: string, body: object) =>
    request(h.app.getHttpServer())
      .put(`/api/v1/customers/${customerId}/consent/${channel}`)
      .set('Authorization', `Bearer ${admin}`)
      .send(body);

  /** Every message the topic ever received, from the broker's offsets: no waiting for absence. */
  const messagesOnTopic = async (): Promise<number> => {
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    } finally {
      await admin.disconnect();
    }
  };

  const outboxRows = async () =>
    (
      await h.query<{ n: number; published: number }>(
        `SELECT count(*)::int AS n, count(published_at)::int AS published FROM $schema.outbox`,
      )
    )[0];

  beforeAll(async () => {
    await h.start();
    await h.publish(...bank.events);
    await h.drained();
    probe = await EventProbe.start(h.kafka, topic);
  });

  afterAll(async () => {
    await probe?.stop();
    await h.destroy();
  });

  it('publishes a change once, keyed by the customer, carrying the state as recorded', async () => {
    await putConsent(bank.ids.CB, 'sms', { status: 'opted-out', source: 'sms-reply' }).expect(204);

    const message = await probe.waitFor((m) => m.key === bank.ids.CB);
    const [recorded] = await h.query<{ changed_at: Date }>(
      `SELECT changed_at FROM $schema.consent WHERE customer_id = $1 AND channel = 'sms'`,
      [bank.ids.CB],
    );
    expect(message.headers).toMatchObject({ ce_type: EventTypes.ConsentChanged, ce_subject: bank.ids.CB });
    expect(message.json).toEqual<ConsentChangedPayload>({
      customerId: bank.ids.CB,
      channel: 'sms',
      status: 'opted-out',
      source: 'sms-reply',
      changedAt: recorded.changed_at.toISOString(),
    });
    await eventually(async () => (await outboxRows()).published === 1);

    // What a restarted instance runs first: the row is marked sent, so nothing goes out again.
    expect(await new OutboxRelay(h.dataSource, h.app.get(EventPublisher)).publishPending()).toBe(0);
    expect(await messagesOnTopic()).toBe(1);
  });

  it('publishes nothing when the transaction recording the change does not commit', async () => {
    // Fails at COMMIT, after every statement of the change (outbox row included) has run.
    await h.query(`
      CREATE FUNCTION $schema.fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await h.query(`
      CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON $schema.consent_history
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.note = 'fail at commit')
      EXECUTE FUNCTION $schema.fail_at_commit()`);
    const before = { outbox: await outboxRows(), published: await messagesOnTopic() };

    await putConsent(bank.ids.CC, 'phone', {
      status: 'opted-out',
      source: 'branch',
      note: 'fail at commit',
    }).expect(500);

    expect(await outboxRows()).toEqual(before.outbox);
    const [{ n }] = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.consent WHERE customer_id = $1`,
      [bank.ids.CC],
    );
    expect(n).toBe(0);
    expect(await new OutboxRelay(h.dataSource, h.app.get(EventPublisher)).publishPending()).toBe(0);
    expect(await messagesOnTopic()).toBe(before.published);
  });
});
