import request from 'supertest';
import { EVENT_SAMPLES, EventTypes, Topics } from '@crm/contracts';
import { Role } from '@crm/security';
import { EventProbe } from '@crm/testing';
import { ContactDispatcher } from './dispatch/contact-dispatcher.service';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { bearer, campaignHarness, launchCampaign } from './testing/campaign.fixture';

const DELAY_MS = 60_000;

/**
 * A campaign triggered by alerts (crm.alert) instead of a list: the alert's customer becomes a target due
 * within minutes when the owner's subtree covers them, once per campaign, and the dispatcher contacts them
 * under the contact policy like any other target.
 */
describe('event-triggered offers on the real stack', () => {
  const harness = campaignHarness('event-triggered-offers', { TRIGGERED_CONTACT_DELAY_MS: String(DELAY_MS) });
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let dispatcher: ContactDispatcher;
  let probe: EventProbe;
  let campaignId: string;
  let alertSeq = 0;

  const marketing = (sub: string) => bearer({ roles: [Role.Marketing], inst: bank.BR, sub });
  const admin = () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' });

  const raiseAlert = (customerId: string, kind: string, raisedAt = new Date()) => {
    alertSeq += 1;
    return harness.publishEvent(EventTypes.AlertRaised, customerId, {
      ...EVENT_SAMPLES[EventTypes.AlertRaised],
      alertId: `00000000-0000-4000-8000-${String(alertSeq).padStart(12, '0')}`,
      kind,
      customerId,
      subjectRef: `A-${customerId}`,
      institutionId: bank.OUT1,
      raisedAt: raisedAt.toISOString(),
    });
  };
  const targetsOf = (customerId: string) =>
    harness.query<{ campaign_id: string; source: string; state: string; due_at: Date }>(
      `SELECT campaign_id, source, state, due_at FROM $schema.target WHERE customer_id = $1`,
      [customerId],
    );

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    dispatcher = harness.app.get(ContactDispatcher);
    bank = await seedSmallBank(harness, 3);
    probe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmCampaignContact}`);
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', admin())
      .send({
        caps: [{ subject: 'customer', channel: 'sms', period: 'week', max: 1 }],
        quietHours: [],
        declineCoolingDays: 30,
        dailyCapacity: {},
        managerDailyTasks: 10,
      })
      .expect(200);
    campaignId = await launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      {
        name: 'large inflow',
        owner: bank.OUT1,
        channels: ['sms'],
        product: 'TD-12M',
        priority: 20,
        value: '800.00',
        audience: { kind: 'event', alertKinds: ['large-inflow', 'time-deposit-maturity'] },
      },
    );
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    await harness.destroy();
  });

  it('makes the customer of an alert a target within minutes, once, and the dispatcher contacts them', async () => {
    const [c0] = bank.out1Customers;
    const raisedAt = Date.now();
    await raiseAlert(c0, 'large-inflow');
    await raiseAlert(c0, 'large-inflow'); // a second large inflow the same day
    await harness.drained();
    const [target, ...more] = await targetsOf(c0);
    expect(more).toEqual([]);
    expect(target).toMatchObject({ campaign_id: campaignId, source: 'event', state: 'pending' });
    expect(target.due_at.getTime()).toBeGreaterThanOrEqual(raisedAt + DELAY_MS);
    expect(target.due_at.getTime()).toBeLessThan(Date.now() + DELAY_MS);

    expect(await dispatcher.runOnce(Date.now())).toEqual({ sent: 0, suppressed: 0, deferred: 0 });
    expect(await dispatcher.runOnce(target.due_at.getTime() + 1_000)).toEqual({
      sent: 1,
      suppressed: 0,
      deferred: 0,
    });
    const ledger = await harness.query<{ campaign_id: string; channel: string; outcome: string }>(
      `SELECT campaign_id, channel, outcome FROM $schema.contact WHERE customer_id = $1`,
      [c0],
    );
    expect(ledger).toEqual([{ campaign_id: campaignId, channel: 'sms', outcome: 'sent' }]);
    const published = await probe.waitFor((m) => (m.json as { customerId?: string }).customerId === c0);
    expect(published.json).toMatchObject({ campaignId, channel: 'sms', productCodes: ['TD-12M'] });

    // Triggered again later: still the one target, contacted already.
    await raiseAlert(c0, 'time-deposit-maturity');
    await harness.drained();
    expect(await targetsOf(c0)).toEqual([expect.objectContaining({ state: 'contacted' })]);
  });

  it('suppresses a triggered contact the policy forbids, with the reason', async () => {
    const c2 = bank.out1Customers[2];
    await harness.publishEvent(EventTypes.ConsentChanged, c2, {
      ...EVENT_SAMPLES[EventTypes.ConsentChanged],
      customerId: c2,
      channel: 'sms',
      status: 'opted-out',
      changedAt: new Date().toISOString(),
    });
    await raiseAlert(c2, 'time-deposit-maturity');
    await harness.drained();
    const [target] = await targetsOf(c2);
    expect(target).toMatchObject({ source: 'event', state: 'pending' });
    expect(await dispatcher.runOnce(target.due_at.getTime() + 1_000)).toMatchObject({
      sent: 0,
      suppressed: 1,
    });
    const ledger = await harness.query<{ outcome: string; reason: string }>(
      `SELECT outcome, reason FROM $schema.contact WHERE customer_id = $1`,
      [c2],
    );
    expect(ledger).toEqual([{ outcome: 'suppressed', reason: 'opted-out' }]);
  });

  it('ignores alerts of other kinds, of customers outside the owner’s subtree, and from before the campaign began', async () => {
    const c1 = bank.out1Customers[1];
    const [elsewhere] = bank.out2Customers;
    await raiseAlert(c1, 'loan-overdue');
    await raiseAlert(elsewhere, 'large-inflow');
    await raiseAlert(c1, 'large-inflow', new Date(Date.now() - 2 * 3_600_000));
    await harness.drained();
    expect(await targetsOf(c1)).toEqual([]);
    expect(await targetsOf(elsewhere)).toEqual([]);
  });
});
