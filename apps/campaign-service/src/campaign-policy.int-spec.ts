import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes, Topics } from '@crm/contracts';
import { Role } from '@crm/security';
import { EventProbe } from '@crm/testing';
import { ContactDispatcher } from './dispatch/contact-dispatcher.service';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { CampaignSpec, bearer, campaignHarness, launchCampaign } from './testing/campaign.fixture';

const calendar = new BusinessCalendar('Asia/Shanghai');

/**
 * Three campaigns compete for the same customers on SMS, manager tasks and e-mail under a policy of one
 * contact a week: the contact ledger shows no customer and no phone number over a cap, no opted-out
 * channel used, quiet hours deferred, suppressions with reasons, each contact published once, and
 * counters rebuilt from the ledger after Redis is wiped.
 */
describe('campaign-service contact policy on the real stack', () => {
  const harness = campaignHarness('policy');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let dispatcher: ContactDispatcher;
  let probe: EventProbe;
  const tomorrow = addDays(calendar.today(), 1);
  const T1 = calendar.at(tomorrow, 12, 0);
  const T2 = calendar.at(tomorrow, 13, 1);

  const admin = () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' });
  const alice = () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'alice' });
  const bob = () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'bob' });

  const sentPerCustomer = () =>
    harness.query<{ customer_id: string; n: number }>(
      `SELECT customer_id, count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent' GROUP BY 1`,
    );
  const contactsOf = (customerId: string) =>
    harness.query<{ campaign_id: string; channel: string; outcome: string; reason: string | null }>(
      `SELECT campaign_id, channel, outcome, reason FROM $schema.contact WHERE customer_id = $1 ORDER BY recorded_at, outcome`,
      [customerId],
    );

  const launch = (spec: Omit<CampaignSpec, 'priority'> & { priority: number }, customers: string[]) =>
    launchCampaign(http, { author: alice(), approver: bob() }, spec, customers);

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    dispatcher = harness.app.get(ContactDispatcher);
    bank = await seedSmallBank(harness, 8);
    probe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmCampaignContact}`);
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    await harness.destroy();
  });

  it('refuses approval by the campaign’s own author: four eyes', async () => {
    const created = await http
      .post('/api/v1/campaigns')
      .set('authorization', alice())
      .send({
        name: 'four eyes',
        objective: 'approval by a second person',
        ownerInstitutionId: bank.BR,
        productCodes: ['TD-3Y'],
        channels: ['sms'],
        templates: { sms: 'hello' },
        costPerContact: { sms: '0.05' },
        conversionValue: { amount: '100.00', currency: 'CNY' },
        priority: 1,
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        audience: { kind: 'upload' },
      })
      .expect(201);
    const submitted = await http
      .post(`/api/v1/campaigns/${created.body.campaignId}/transitions`)
      .set('authorization', alice())
      .send({ action: 'submit', version: created.body.version })
      .expect(200);
    const refused = await http
      .post(`/api/v1/campaigns/${created.body.campaignId}/transitions`)
      .set('authorization', alice())
      .send({ action: 'approve', version: submitted.body.version })
      .expect(403);
    expect(refused.body.code).toBe('FOUR_EYES_REQUIRED');
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('contacts within every cap, consent and quiet hour, and says why it did not', async () => {
    const [c10, c11, c12, c13, c14] = bank.out1Customers;
    // C1-2 opted out of SMS (customer-service's event); C1-3 holds the SMS campaign's product already.
    await harness.publishEvent(EventTypes.ConsentChanged, c12, {
      customerId: c12,
      channel: 'sms',
      status: 'opted-out',
      source: 'sms-reply',
      changedAt: new Date().toISOString(),
    });
    await harness.publishEvent(EventTypes.AccountOpened, c13, {
      ...EVENT_SAMPLES[EventTypes.AccountOpened],
      accountId: `A-${c13}`,
      customerId: c13,
      institutionId: bank.OUT1,
      productCode: 'TD-3Y',
      openedOn: '2020-01-02',
    });
    await harness.drained();
    await http
      .put(`/api/v1/customers/${c14}/do-not-contact`)
      .set('authorization', admin())
      .send({ reason: 'complaint', note: 'called the branch' })
      .expect(204);
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', admin())
      .send({
        caps: [
          { subject: 'customer', channel: null, period: 'week', max: 1 },
          { subject: 'phone', channel: 'sms', period: 'week', max: 1 },
        ],
        quietHours: [{ channel: 'email', from: '11:00', to: '13:00' }],
        declineCoolingDays: 30,
        dailyCapacity: {},
        managerDailyTasks: 2,
      })
      .expect(200);

    const sms = await launch(
      {
        name: 'deposits by SMS',
        owner: bank.BR,
        priority: 30,
        channels: ['sms'],
        product: 'TD-3Y',
        controlShare: 0,
      },
      [...bank.out1Customers, ...bank.out2Customers],
    );
    const tasks = await launch(
      {
        name: 'wealth by manager call',
        owner: bank.OUT1,
        priority: 20,
        channels: ['manager-task'],
        product: 'WM-90D',
        controlShare: 0,
      },
      bank.out1Customers,
    );
    const email = await launch(
      {
        name: 'cards by e-mail',
        owner: bank.OUT2,
        priority: 40,
        channels: ['email'],
        product: 'CARD-GOLD',
        controlShare: 0.3,
      },
      bank.out2Customers,
    );
    await harness.query(`UPDATE $schema.target SET due_at = $1 WHERE state = 'pending'`, [new Date(T1)]);

    const first = await dispatcher.runOnce(T1);
    expect(first.sent).toBeGreaterThan(0);

    // The shared number took one SMS. The customers whose SMS could not go asked for the manager's call in
    // the first round (opted out, product held) and took the manager's two tasks of the day; the second
    // customer on the shared number asked only after its SMS was refused, and found the manager's day full.
    expect((await contactsOf(c10)).filter((c) => c.outcome === 'sent')).toEqual([
      expect.objectContaining({ campaign_id: sms, channel: 'sms' }),
    ]);
    expect(await contactsOf(c12)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ campaign_id: sms, outcome: 'suppressed', reason: 'opted-out' }),
        expect.objectContaining({ campaign_id: tasks, channel: 'manager-task', outcome: 'sent' }),
      ]),
    );
    expect(await contactsOf(c13)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ campaign_id: sms, outcome: 'suppressed', reason: 'already-holds-product' }),
        expect.objectContaining({ campaign_id: tasks, channel: 'manager-task', outcome: 'sent' }),
      ]),
    );
    expect(await contactsOf(c11)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ campaign_id: sms, outcome: 'suppressed', reason: 'cap:phone:sms:week' }),
        expect.objectContaining({ campaign_id: tasks, outcome: 'suppressed', reason: 'capacity:manager' }),
      ]),
    );
    expect((await contactsOf(c11)).some((c) => c.outcome === 'sent')).toBe(false);
    expect((await contactsOf(c14)).map((c) => [c.outcome, c.reason])).toEqual(
      expect.arrayContaining([['suppressed', 'do-not-contact:complaint']]),
    );
    expect((await contactsOf(c14)).some((c) => c.outcome === 'sent')).toBe(false);

    // E-mail is quiet until 13:00: its treatment customers are deferred, and hold the slot meanwhile.
    const emailTreatment = await harness.query<{ customer_id: string }>(
      `SELECT customer_id FROM $schema.target WHERE campaign_id = $1 AND arm = 'treatment'`,
      [email],
    );
    expect(emailTreatment.length).toBeGreaterThan(0);
    for (const { customer_id } of emailTreatment)
      expect(await contactsOf(customer_id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ campaign_id: email, outcome: 'deferred', reason: 'quiet-hours' }),
          expect.objectContaining({
            campaign_id: sms,
            outcome: 'suppressed',
            reason: `lost-arbitration:${email}`,
          }),
        ]),
      );

    const second = await dispatcher.runOnce(T2);
    expect(second.sent).toBe(emailTreatment.length);
    for (const { customer_id } of emailTreatment)
      expect((await contactsOf(customer_id)).filter((c) => c.outcome === 'sent')).toEqual([
        expect.objectContaining({ campaign_id: email, channel: 'email' }),
      ]);

    // The control group is never contacted by its campaign.
    const controlContacted = await harness.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.target t JOIN $schema.contact k
          ON k.campaign_id = t.campaign_id AND k.customer_id = t.customer_id AND k.outcome = 'sent'
        WHERE t.arm = 'control'`,
    );
    expect(controlContacted[0].n).toBe(0);

    // The invariants over the whole ledger.
    expect(Math.max(...(await sentPerCustomer()).map((r) => r.n))).toBe(1);
    const perPhone = await harness.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.contact WHERE outcome = 'sent' AND channel = 'sms' GROUP BY phone_hash`,
    );
    expect(Math.max(...perPhone.map((r) => r.n))).toBe(1);

    // Each contact reached crm.campaign.contact exactly once.
    const sent = await harness.query<{ contact_id: string }>(
      `SELECT contact_id FROM $schema.contact WHERE outcome = 'sent'`,
    );
    const published = await probe.waitForCount(() => true, sent.length, 30_000);
    expect(new Set(published.map((m) => (m.json as { contactId: string }).contactId))).toEqual(
      new Set(sent.map((r) => r.contact_id)),
    );

    // The ledger summary answers the seed bank's questions.
    const summary = await http
      .get('/api/v1/contact-ledger/summary')
      .set('authorization', admin())
      .query({ to: new Date(T2 + 60_000).toISOString() })
      .expect(200);
    expect(summary.body.perCustomer.max).toBe(1);
    // The shared number: one contact (its SMS) for its two customers.
    expect(summary.body.perPhone.max).toBe(1);
    expect(summary.body.suppressedBy).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'opted-out', count: 1 })]),
    );
  });

  it('rebuilds the counters from the ledger after Redis is wiped: no cap is exceeded', async () => {
    expect(await harness.wipeRedis()).toBeGreaterThan(0);
    const late = await launch(
      {
        name: 'late and loud',
        owner: bank.BR,
        priority: 90,
        channels: ['sms'],
        product: 'LOAN-CAR',
        controlShare: 0,
      },
      bank.out1Customers,
    );
    await harness.query(`UPDATE $schema.target SET due_at = $1 WHERE campaign_id = $2`, [new Date(T2), late]);
    const run = await dispatcher.runOnce(T2 + 60_000);
    // Every OUT1 customer contacted this week already, but C1-4 (do-not-contact) and C1-1, whose number
    // had its SMS of the week: counters rebuilt, nothing may go.
    const reasons = await harness.query<{ reason: string; n: number }>(
      `SELECT reason, count(*)::int AS n FROM $schema.contact WHERE campaign_id = $1 GROUP BY 1`,
      [late],
    );
    expect(reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'cap:customer:*:week' })]),
    );
    const sentToContactedAlready = await harness.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM $schema.contact k WHERE k.campaign_id = $1 AND k.outcome = 'sent'
          AND EXISTS (SELECT 1 FROM $schema.contact e WHERE e.customer_id = k.customer_id AND e.outcome = 'sent'
                       AND e.campaign_id <> $1)`,
      [late],
    );
    expect(sentToContactedAlready[0].n).toBe(0);
    expect(run.sent).toBe(0);
    expect(Math.max(...(await sentPerCustomer()).map((r) => r.n))).toBe(1);
  });
});
