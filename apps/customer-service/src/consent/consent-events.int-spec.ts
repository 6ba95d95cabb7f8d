import request from 'supertest';
import { Kafka } from 'kafkajs';
import { ConsentChangedPayload, EventTypes, Topics } from '@crm/contracts';
import { OutboxRelay } from '@crm/messaging';
import { EventProbe, eventually, testKafka, uniqueSuffix } from '@crm/testing';
import { Harness, Role, startCustomerService } from '../testing/customer-service.harness';
import { SmallBank, smallBank } from '../testing/small-bank.fixture';

describe('consent changes published through the outbox (crm.customer)', () => {
  let h: Harness;
  let bank: SmallBank;
  let kafka: Kafka;
  let probe: EventProbe;
  let topic: string;
  let admin: string;

  const putConsent = (customerId: string, channel: string, body: object) =>
    request(h.app.getHttpServer())
      .put(`/api/v1/customers/${customerId}/consent/${channel}`)
      .set('Authorization', `Bearer ${admin}`)
      .send(body);

  /** Every message the topic ever received, from the broker's offsets: no waiting for absence. */
  const messagesOnTopic = async (): Promise<number> => {
    const admin = kafka.admin();
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
      await h.dataSource.query(
        `SELECT count(*)::int AS n, count(published_at)::int AS published FROM "${h.schema}".outbox`,
      )
    )[0] as { n: number; published: number };

  beforeAll(async () => {
    h = await startCustomerService('consent');
    bank = smallBank(uniqueSuffix(), 47);
    await h.publish(bank.events);
    await eventually(
      async () =>
        (await h.dataSource.query(`SELECT count(*)::int AS n FROM "${h.schema}".processed_event`))[0].n ===
        bank.events.length,
    );
    admin = h.token({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
    kafka = testKafka();
    topic = `${h.prefix}${Topics.CrmCustomer}`;
    probe = await EventProbe.start(kafka, topic);
  });

  afterAll(async () => {
    await probe?.stop();
    await h?.close();
  });

  it('publishes a change once, keyed by the customer, carrying the state as recorded', async () => {
    await putConsent(bank.ids.CB, 'sms', { status: 'opted-out', source: 'sms-reply' }).expect(204);

    const message = await probe.waitFor((m) => m.key === bank.ids.CB);
    const [recorded] = await h.dataSource.query(
      `SELECT changed_at FROM "${h.schema}".consent WHERE customer_id = $1 AND channel = 'sms'`,
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
    expect(await new OutboxRelay(h.dataSource, h.publisher).publishPending()).toBe(0);
    expect(await messagesOnTopic()).toBe(1);
  });

  it('publishes nothing when the transaction recording the change does not commit', async () => {
    // Fails at COMMIT, after every statement of the change (outbox row included) has run.
    await h.dataSource.query(`
      CREATE FUNCTION "${h.schema}".fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await h.dataSource.query(`
      CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON "${h.schema}".consent_history
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.note = 'fail at commit')
      EXECUTE FUNCTION "${h.schema}".fail_at_commit()`);
    const before = { outbox: await outboxRows(), published: await messagesOnTopic() };

    await putConsent(bank.ids.CC, 'phone', {
      status: 'opted-out',
      source: 'branch',
      note: 'fail at commit',
    }).expect(500);

    expect(await outboxRows()).toEqual(before.outbox);
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "${h.schema}".consent WHERE customer_id = $1`,
      [bank.ids.CC],
    );
    expect(n).toBe(0);
    expect(await new OutboxRelay(h.dataSource, h.publisher).publishPending()).toBe(0);
    expect(await messagesOnTopic()).toBe(before.published);
  });
});
