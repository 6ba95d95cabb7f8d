import Redis from 'ioredis';
import { Pool } from 'pg';
import { EventType, Topics, eventDefinitionOf } from '@crm/contracts';
import { EventPublisher, ensureTopics } from '@crm/messaging';
import { Role } from '@crm/security';
import {
  EventClock,
  EventProbe,
  deleteTopicsWithPrefix,
  freePort,
  serviceTestEnv,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { ServiceProcess } from '../lib/service-process';
import { bearer, callApi, launchDrafted } from './campaign-api';

const ENTRY = 'apps/campaign-service/src/main.ts';
const CAMPAIGNS = 10;
const CUSTOMERS_PER_OUTLET = 60;
// Three customers share each number, which takes one SMS a week: arbitration gives a customer one contact a
// day, so the number's cap binds where the customers' cannot.
const CAPS = { perCustomerWeek: 2, perPhoneSmsWeek: 1 };
const CHANNELS = [['sms'], ['app-push'], ['sms', 'app-push'], ['email'], ['sms', 'email']];

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Two campaign-service processes dispatch ten overlapping campaigns over one customer base at once;
 * half-way one is killed with SIGKILL, Redis loses every counter, and the process is started again. The
 * ledger and the crm.campaign.contact topic must show no cap exceeded, no target contacted twice, and
 * every contact published.
 */
describe('campaign-service: two instances, ten campaigns, kill -9 and a Redis wipe', () => {
  const suffix = uniqueSuffix();
  const names = {
    schema: `t_campaign_drill_${suffix}`,
    topicPrefix: `test.campaign-drill-${suffix}.`,
    redisPrefix: `test:campaign-drill-${suffix}:`,
  };
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);
  const db = new Pool({ connectionString: testStack.databaseUrl, max: 2 });
  const instances: ServiceProcess[] = [];
  let probe: EventProbe;
  let published = 0;

  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await db.query(text.replaceAll('$schema', `"${names.schema}"`), params)).rows as T[];
  const api = (method: string, path: string, auth: string, body?: object) =>
    callApi(instances[0].baseUrl, method, path, auth, body);
  const clock = new EventClock(Date.now(), '/drill/campaign-service');
  const feed = {
    suffix,
    async publishEvent(type: EventType, subject: string, data: object) {
      const envelope = clock.envelope(type, subject, data);
      const topic = `${names.topicPrefix}${eventDefinitionOf(type)!.topic}`;
      await ensureTopics(kafka, [topic]);
      await publisher.publish([{ topic, envelope }]);
      published += 1;
    },
    async drained() {
      for (let waited = 0; waited < 120_000; waited += 250) {
        const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.processed_event`);
        if (n >= published) return;
        await sleep(250);
      }
      throw new Error('the services did not handle the seed events in 120 s');
    },
  };

  async function launch(bank: SmallBank, index: number): Promise<string> {
    const [alice, bob] = [
      bearer('alice', [Role.Marketing], bank.BR),
      bearer('bob', [Role.Marketing], bank.BR),
    ];
    const customers = [...bank.out1Customers, ...bank.out2Customers].filter((_, i) => (i + index) % 3 !== 0);
    const channels = CHANNELS[index % CHANNELS.length];
    const now = Date.now();
    const created = await api('POST', '/campaigns', alice, {
      name: `drill campaign ${index}`,
      objective: 'concurrency drill',
      ownerInstitutionId: bank.BR,
      productCodes: [`P-${index}`],
      channels,
      templates: Object.fromEntries(channels.map((c) => [c, `offer ${index}`])),
      costPerContact: Object.fromEntries(channels.map((c) => [c, '0.05'])),
      conversionValue: { amount: `${100 + index}.00`, currency: 'CNY' },
      priority: 1 + (index % 4),
      controlShare: 0.1,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 45_000).toISOString(),
      audience: { kind: 'upload' },
    });
    const id = created.campaignId as string;
    await api('POST', `/campaigns/${id}/targets`, alice, { customerIds: customers });
    await launchDrafted(instances[0].baseUrl, created, alice, bob);
    return id;
  }

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await probe?.stop();
    await publisher.disconnect();
    const redis = new Redis(testStack.redisUrl);
    const keys = await redis.keys(`${names.redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db.query(`DROP SCHEMA IF EXISTS "${names.schema}" CASCADE`);
    await db.end();
    await deleteTopicsWithPrefix(kafka, names.topicPrefix);
  });

  it('exceeds no cap, contacts no target twice and publishes every contact', async () => {
    for (const name of ['a', 'b']) {
      const grpcPort = await freePort();
      instances.push(
        new ServiceProcess(`campaign-${name}`, ENTRY, () => ({
          ...serviceTestEnv(names),
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          GRPC_PORT: String(grpcPort),
          DISPATCH_INTERVAL_MS: '150',
          DISPATCH_BATCH_SIZE: '25',
          POLICY_REBUILD_GRACE_MS: '1000',
        })),
      );
    }
    // One at a time: the first runs the migrations.
    for (const instance of instances) await instance.start();
    const bank = await seedSmallBank(feed, CUSTOMERS_PER_OUTLET, { sharedPhoneEvery: 3 });
    probe = await EventProbe.start(kafka, `${names.topicPrefix}${Topics.CrmCampaignContact}`);
    await api('PUT', '/contact-policy', bearer('head-office', [Role.HeadOfficeAdmin], bank.HO), {
      caps: [
        { subject: 'customer', channel: null, period: 'week', max: CAPS.perCustomerWeek },
        { subject: 'phone', channel: 'sms', period: 'week', max: CAPS.perPhoneSmsWeek },
      ],
      quietHours: [],
      declineCoolingDays: 30,
      dailyCapacity: {},
      managerDailyTasks: 50,
    });
    const campaigns = [];
    for (let i = 0; i < CAMPAIGNS; i += 1) campaigns.push(await launch(bank, i));

    const sent = async () =>
      (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent'`))[0]
        .n;
    for (let waited = 0; (await sent()) < 60 && waited < 60_000; waited += 100) await sleep(100);
    const sentBeforeFault = await sent();
    await instances[1].kill9();
    const redis = new Redis(testStack.redisUrl);
    const wiped = await redis.keys(`${names.redisPrefix}*`);
    if (wiped.length > 0) await redis.del(...wiped);
    redis.disconnect();
    await instances[1].start();

    // Until every campaign has ended and every contact is published.
    for (let waited = 0; waited < 120_000; waited += 500) {
      const [{ open }] = await sql<{ open: number }>(
        `SELECT count(*)::int AS open FROM $schema.campaign WHERE status <> 'completed' AND campaign_id = ANY($1)`,
        [campaigns],
      );
      const [{ pending }] = await sql<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM $schema.outbox WHERE published_at IS NULL`,
      );
      if (open === 0 && pending === 0) break;
      await sleep(500);
    }

    const perCustomer = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent' GROUP BY customer_id`,
    );
    const perPhoneSms = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent' AND channel = 'sms' GROUP BY phone_hash`,
    );
    const perTarget = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent' GROUP BY campaign_id, customer_id`,
    );
    const controlContacted = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.target t JOIN $schema.contact k USING (campaign_id, customer_id)
        WHERE t.arm = 'control' AND k.outcome = 'sent'`,
    );
    const ledger = await sql<{ contact_id: string }>(
      `SELECT contact_id FROM $schema.contact WHERE outcome = 'sent'`,
    );
    const messages = await probe.waitForCount(() => true, ledger.length, 60_000);
    await sleep(1_000);
    const onTopic = probe.messages.map((m) => (m.json as { contactId: string }).contactId);

    expect(sentBeforeFault).toBeGreaterThan(0);
    expect(ledger.length).toBeGreaterThan(sentBeforeFault);
    expect(Math.max(...perCustomer.map((r) => r.n))).toBeLessThanOrEqual(CAPS.perCustomerWeek);
    expect(Math.max(...perPhoneSms.map((r) => r.n))).toBeLessThanOrEqual(CAPS.perPhoneSmsWeek);
    expect(Math.max(...perTarget.map((r) => r.n))).toBe(1);
    expect(controlContacted[0].n).toBe(0);
    expect(new Set(onTopic)).toEqual(new Set(ledger.map((r) => r.contact_id)));
    expect(messages.length).toBe(ledger.length);
    // The caps bound: numbers reached their SMS cap (arbitration gives a customer one contact a day).
    expect(perPhoneSms.filter((r) => r.n === CAPS.perPhoneSmsWeek).length).toBeGreaterThan(10);
    const reasons = await sql<{ reason: string }>(
      `SELECT DISTINCT reason FROM $schema.contact WHERE outcome = 'suppressed'`,
    );
    expect(reasons.map((r) => r.reason)).toEqual(expect.arrayContaining(['cap:phone:sms:week']));
  }, 300_000);
});
