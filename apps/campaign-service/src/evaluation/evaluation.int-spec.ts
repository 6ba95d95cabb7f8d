import type { Browser } from 'playwright-core';
import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes } from '@crm/contracts';
import { Role } from '@crm/security';
import { launchChromium } from '@crm/testing';
import { ContactDispatcher } from '../dispatch/contact-dispatcher.service';
import { Arm, armOf } from '../targets/control-group.rule';
import { bearer, campaignHarness } from '../testing/campaign.fixture';
import { SmallBank, seedSmallBank } from '@crm/testing';

const calendar = new BusinessCalendar('Asia/Shanghai');
const ARM_SIZE = 10;
const CONTROL_SHARE = 0.5;

/**
 * A campaign of ten treatment and ten control customers, contacted by SMS (by a manager's call where
 * SMS is refused), converting at 6 in 10 against 1 in 10: its evaluation as JSON, CSV and SVG against
 * figures worked out by hand, and no evaluation for a user of another outlet.
 */
describe('campaign evaluation on the real stack', () => {
  const harness = campaignHarness('evaluation');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let browser: Browser;
  let campaignId: string;
  let treatment: string[];
  let control: string[];
  const T1 = calendar.at(addDays(calendar.today(), 1), 12, 0);

  const alice = () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'alice' });
  const bob = () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'bob' });
  const admin = () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' });
  const evaluationUrl = (suffix = '') => `/api/v1/campaigns/${campaignId}/evaluation${suffix}`;

  /** A customer opens a product, as core banking announces it, at `at`. */
  const opens = (customerId: string, productCode: string, at: number) =>
    harness.publish({
      ...harness.clock.envelope(EventTypes.AccountOpened, customerId, {
        ...EVENT_SAMPLES[EventTypes.AccountOpened],
        accountId: `A-${customerId}-${productCode}`,
        customerId,
        institutionId: bank.OUT1,
        productCode,
        openedOn: calendar.dateOf(at),
      }),
      time: new Date(at).toISOString(),
    });

  /**
   * A draft whose hash puts at least ARM_SIZE of OUT1's customers in each arm (drafted again in the
   * one case in seven it does not), and those customers in each arm.
   */
  async function draftWithArms(): Promise<{ id: string; version: number; arms: Record<Arm, string[]> }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = Date.now();
      const created = await http
        .post('/api/v1/campaigns')
        .set('authorization', alice())
        .send({
          name: 'Deposits <3Y> & more',
          objective: 'time deposits for OUT1',
          ownerInstitutionId: bank.OUT1,
          productCodes: ['TD-3Y'],
          channels: ['sms', 'manager-task'],
          templates: { sms: 'A 3-year deposit?', 'manager-task': 'Call about the 3-year deposit' },
          costPerContact: { sms: '0.35', 'manager-task': '5.00' },
          conversionValue: { amount: '1000.00', currency: 'CNY' },
          priority: 10,
          controlShare: CONTROL_SHARE,
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + 5 * 86_400_000).toISOString(),
          audience: { kind: 'upload' },
        })
        .expect(201);
      const id: string = created.body.campaignId;
      const arms: Record<Arm, string[]> = { treatment: [], control: [] };
      for (const customerId of bank.out1Customers)
        arms[armOf(id, customerId, CONTROL_SHARE)].push(customerId);
      if (arms.treatment.length >= ARM_SIZE && arms.control.length >= ARM_SIZE)
        return {
          id,
          version: created.body.version,
          arms: { treatment: arms.treatment.slice(0, ARM_SIZE), control: arms.control.slice(0, ARM_SIZE) },
        };
    }
    throw new Error(
      `no draft of 20 split OUT1's customers ${ARM_SIZE} and ${ARM_SIZE}: is the arm hash uniform?`,
    );
  }

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 24);
    browser = await launchChromium();
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', admin())
      .send({ caps: [], quietHours: [], declineCoolingDays: 30, dailyCapacity: {}, managerDailyTasks: 10 })
      .expect(200);

    const draft = await draftWithArms();
    campaignId = draft.id;
    ({ treatment, control } = draft.arms);
    const upload = await http
      .post(`/api/v1/campaigns/${campaignId}/targets`)
      .set('authorization', alice())
      .send({ customerIds: [...treatment, ...control] })
      .expect(200);
    expect(upload.body.rejectedCount).toBe(0);
    const arms = await harness.query<{ customer_id: string; arm: Arm }>(
      `SELECT customer_id, arm FROM $schema.target WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(arms.filter((t) => t.arm === Arm.Treatment).map((t) => t.customer_id)).toEqual(
      expect.arrayContaining(treatment),
    );
    expect(arms.filter((t) => t.arm === Arm.Control)).toHaveLength(ARM_SIZE);

    // Treatment: t0 is on the do-not-contact list, t1 refused SMS (a manager calls instead).
    await http
      .put(`/api/v1/customers/${treatment[0]}/do-not-contact`)
      .set('authorization', admin())
      .send({ reason: 'complaint', note: 'wrote to the bank' })
      .expect(204);
    await harness.publishEvent(EventTypes.ConsentChanged, treatment[1], {
      customerId: treatment[1],
      channel: 'sms',
      status: 'opted-out',
      source: 'sms-reply',
      changedAt: new Date().toISOString(),
    });
    await harness.drained();

    let version = draft.version;
    for (const [action, token] of [
      ['submit', alice()],
      ['approve', bob()],
      ['launch', alice()],
    ])
      version = (
        await http
          .post(`/api/v1/campaigns/${campaignId}/transitions`)
          .set('authorization', token)
          .send({ action, version })
          .expect(200)
      ).body.version;
    await harness.query(
      `UPDATE $schema.target SET due_at = $1 WHERE campaign_id = $2 AND state = 'pending'`,
      [new Date(T1), campaignId],
    );
    const run = await harness.app.get(ContactDispatcher).runOnce(T1);
    expect(run).toEqual({ sent: 9, suppressed: 1, deferred: 0 });

    // The manager reached t1: interested.
    const manager = bearer({ roles: [Role.RelationshipManager], inst: bank.OUT1, mgr: bank.M1 });
    const tasks = await http.get('/api/v1/tasks').set('authorization', manager).expect(200);
    const task = tasks.body.items.find((t: { customerId: string }) => t.customerId === treatment[1]);
    await http
      .post(`/api/v1/tasks/${task.taskId}/outcome`)
      .set('authorization', manager)
      .send({ outcome: 'interested' })
      .expect(200);

    // An hour after the contacts: t1..t6 open the offered deposit, t7 another product; of control, c0
    // opens the deposit and c1 another product. t8 had opened the deposit an hour before its SMS.
    const after = T1 + 3_600_000;
    for (const customerId of treatment.slice(1, 7)) await opens(customerId, 'TD-3Y', after);
    await opens(treatment[7], 'WM-90D', after);
    await opens(control[0], 'TD-3Y', after);
    await opens(control[1], 'LOAN-CAR', after);
    await opens(treatment[8], 'TD-3Y', T1 - 3_600_000);
    await harness.drained();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness.destroy();
  });

  it('counts, rates, uplift with its interval and costs as worked out by hand, live while it runs', async () => {
    const { body } = await http.get(evaluationUrl()).set('authorization', alice()).expect(200);
    const campaign = await harness.query<{ ends_at: Date }>(
      `SELECT ends_at FROM $schema.campaign WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(body).toEqual({
      campaignId,
      name: 'Deposits <3Y> & more',
      status: 'running',
      phase: 'live',
      evaluatedAt: expect.any(String),
      startsAt: expect.any(String),
      endsAt: campaign[0].ends_at.toISOString(),
      attributionDays: 30,
      attributionEndsAt: new Date(campaign[0].ends_at.getTime() + 30 * 86_400_000).toISOString(),
      arms: [
        {
          arm: 'treatment',
          targeted: 10,
          contactedCustomers: 9,
          contacts: 9,
          suppressed: 2,
          converted: 6,
          conversionRate: 0.6,
          contactsPerCustomer: { mean: '0.90', max: 1 },
          allCampaignsContactsPerCustomer: { mean: '0.90', max: 1 },
        },
        {
          arm: 'control',
          targeted: 10,
          contactedCustomers: 0,
          contacts: 0,
          suppressed: 0,
          converted: 1,
          conversionRate: 0.1,
          contactsPerCustomer: { mean: '0.00', max: 0 },
          allCampaignsContactsPerCustomer: { mean: '0.00', max: 0 },
        },
        {
          arm: 'total',
          targeted: 20,
          contactedCustomers: 9,
          contacts: 9,
          suppressed: 2,
          converted: 7,
          conversionRate: 0.35,
          contactsPerCustomer: { mean: '0.45', max: 1 },
          allCampaignsContactsPerCustomer: { mean: '0.45', max: 1 },
        },
      ],
      // 0.6 − 0.1 ± 1.959964 · √(0.6 · 0.4 / 10 + 0.1 · 0.9 / 10) = 0.5 ± 0.356045.
      uplift: {
        absolute: 0.5,
        relative: 5,
        confidenceInterval: { level: 0.95, lower: 0.143955, upper: 0.856045, method: 'wald' },
        significant: true,
        caveat: 'few-events',
      },
      attemptsByOutcome: [
        { key: 'sent', count: 9 },
        { key: 'suppressed', count: 2 },
      ],
      // The SMS the opted-out customer could not get is recorded too, before the manager's call.
      suppressedBy: [
        { key: 'do-not-contact:complaint', count: 1 },
        { key: 'opted-out', count: 1 },
      ],
      responses: {
        respondedCustomers: 1,
        responseRate: 0.111111,
        byOutcome: [{ source: 'task', outcome: 'interested', count: 1 }],
      },
      // 8 SMS at 0.35 and one call at 5.00; 7.80 / 6 conversions; 6 − 1 · 10/10 = 5 incremental.
      costs: {
        currency: 'CNY',
        byChannel: [
          { channel: 'sms', contacts: 8, costPerContact: '0.35', cost: '2.80' },
          { channel: 'manager-task', contacts: 1, costPerContact: '5.00', cost: '5.00' },
        ],
        total: '7.80',
        perConversion: '1.30',
        incrementalConversions: '5.00',
        perIncrementalConversion: '1.56',
        incrementalValue: '5000.00',
      },
    });
  });

  it('gives the same figures as CSV: a row per arm and the total, the comparison on the total row', async () => {
    const response = await http.get(evaluationUrl('.csv')).set('authorization', alice()).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${campaignId}-evaluation.csv"`,
    );
    const text: string = response.text;
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...lines] = text.slice(0, -2).split('\r\n');
    const columns = header.split(',');
    const rows = lines.map((line) => {
      const fields = line.split(',');
      expect(fields).toHaveLength(columns.length);
      return Object.fromEntries(columns.map((c, i) => [c, fields[i]]));
    });
    expect(rows.map((r) => r.arm)).toEqual(['treatment', 'control', 'total']);
    expect(rows[0]).toMatchObject({
      campaign_id: campaignId,
      phase: 'live',
      targeted: '10',
      contacted_customers: '9',
      converted: '6',
      conversion_rate: '0.6',
      contacts_per_customer_mean: '0.90',
      cost: '7.80',
      cost_per_conversion: '1.30',
      uplift: '',
    });
    expect(rows[1]).toMatchObject({
      converted: '1',
      conversion_rate: '0.1',
      cost: '0.00',
      cost_per_conversion: '',
    });
    expect(rows[2]).toMatchObject({
      targeted: '20',
      converted: '7',
      uplift: '0.5',
      uplift_ci_lower: '0.143955',
      uplift_ci_upper: '0.856045',
      cost_per_incremental_conversion: '1.56',
    });
  });

  it('draws the rates and the uplift with its interval as well-formed SVG', async () => {
    const response = await http.get(evaluationUrl('.svg')).set('authorization', alice()).expect(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const svg = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.text;
    const page = await browser.newPage();
    try {
      // Chromium's XML parser: a document that is not well-formed comes back with a <parsererror>.
      // A string, not a function: the tests compile without DOM types, and it runs in the page only.
      const parsed = await page.evaluate<{ root: string; errors: number; texts: string[] }>(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
        return {
          root: doc.documentElement.nodeName,
          errors: doc.getElementsByTagName('parsererror').length,
          texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent),
        };
      })()`);
      expect(parsed.root).toBe('svg');
      expect(parsed.errors).toBe(0);
      expect(parsed.texts).toEqual(
        expect.arrayContaining([
          'Evaluation: Deposits <3Y> & more',
          '60.0%',
          '10.0%',
          '6 of 10 converted',
          '1 of 10 converted',
          '+50.0 pp',
          '95% CI +14.4 pp to +85.6 pp: significant',
        ]),
      );
    } finally {
      await page.close();
    }
  });

  it('is not found for a user of another outlet, in every format', async () => {
    const otherOutlet = bearer({ roles: [Role.Marketing], inst: bank.OUT2, sub: 'carol' });
    for (const suffix of ['', '.csv', '.svg']) {
      const refused = await http.get(evaluationUrl(suffix)).set('authorization', otherOutlet).expect(404);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('CAMPAIGN_NOT_FOUND');
    }
    const manager = bearer({ roles: [Role.RelationshipManager], inst: bank.OUT1, mgr: bank.M1 });
    await http.get(evaluationUrl()).set('authorization', manager).expect(403);
  });

  it('is attributing after the campaign is completed: conversions may still come in', async () => {
    const { version } = (await http.get(`/api/v1/campaigns/${campaignId}`).set('authorization', alice()))
      .body;
    await http
      .post(`/api/v1/campaigns/${campaignId}/transitions`)
      .set('authorization', alice())
      .send({ action: 'complete', version })
      .expect(200);
    const { body } = await http.get(evaluationUrl()).set('authorization', alice()).expect(200);
    expect(body).toMatchObject({ status: 'completed', phase: 'attributing' });
    expect(body.arms[0]).toMatchObject({ targeted: 10, converted: 6 });
  });
});
