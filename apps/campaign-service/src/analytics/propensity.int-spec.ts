import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import {
  CustomerProfileChangedPayload,
  EVENT_SAMPLES,
  EventHeaders,
  EventTypes,
  ProfileTag,
  Topics,
  deadLetterTopicOf,
} from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { Role } from '@crm/security';
import { EventProbe, SmallBank, seedSmallBank, until } from '@crm/testing';
import { ContactDispatcher } from '../dispatch/contact-dispatcher.service';
import { bearer, campaignHarness, launchCampaign } from '../testing/campaign.fixture';

const calendar = new BusinessCalendar('Asia/Shanghai');

/**
 * analytics-service's profiles (crm.analytics.profile) give the propensity that next best offer and the
 * dispatcher's arbitration rank campaigns by: a strong wealth-management tag wins the wealth campaign over
 * a better-valued deposit campaign of the same priority; without a profile the stated default applies.
 */
describe('propensity from analytic profiles on the real stack', () => {
  const harness = campaignHarness('propensity');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let deposits: string;
  let wealth: string;
  /** Strong wealth-management potential: X asks at the lobby, Z is reached by the dispatcher. */
  let X: string, Z: string;
  /** No profile: Y asks at the lobby, W is reached by the dispatcher. */
  let Y: string, W: string;
  const T1 = calendar.at(addDays(calendar.today(), 1), 12, 0);

  const lobbyApp = () => bearer({ roles: [Role.System], inst: bank.HO, sub: 'lobby-app' });
  const marketing = (sub: string) => bearer({ roles: [Role.Marketing], inst: bank.BR, sub });
  const wealthTag = (score: number): ProfileTag => ({
    tag: 'wealth-management',
    score,
    facts: ['demand deposits 620000.00 CNY idle for 90 days'],
  });
  const profile = (
    customerId: string,
    businessDate: string,
    tags: ProfileTag[],
  ): CustomerProfileChangedPayload => ({
    customerId,
    businessDate,
    valueTier: 'important',
    lifecycleStage: 'mature',
    rfm: null,
    tags,
    churnScore: 20,
    churnReasons: [],
    computedAt: `${businessDate}T23:40:00.000+08:00`,
  });
  const stored = (customerId: string) =>
    harness.query<{ business_date: string; tag_scores: object; value_tier: string | null }>(
      `SELECT business_date::text, tag_scores, value_tier FROM $schema.analytic_profile WHERE customer_id = $1`,
      [customerId],
    );
  const decide = async (customerId: string) =>
    (
      await http
        .post('/api/v1/offers/decide')
        .set('authorization', lobbyApp())
        .send({ customerId, channel: 'lobby' })
        .expect(200)
    ).body;

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 4);
    [X, Y, Z, W] = bank.out1Customers;
    // Core banking says what kind of product WM-90D is when someone opens one.
    const holder = bank.out2Customers[0];
    await harness.publishEvent(EventTypes.AccountOpened, holder, {
      ...EVENT_SAMPLES[EventTypes.AccountOpened],
      accountId: `A-${holder}`,
      customerId: holder,
      institutionId: bank.OUT2,
      kind: 'wealth-product',
      productCode: 'WM-90D',
      openedOn: '2020-01-02',
    });
    for (const customerId of [X, Z])
      await harness.publishEvent(
        EventTypes.CustomerProfileChanged,
        customerId,
        profile(customerId, '2026-03-02', [wealthTag(90)]),
      );
    await harness.drained();

    const launch = (name: string, product: string, value: string) =>
      launchCampaign(
        http,
        { author: marketing('alice'), approver: marketing('bob') },
        { name, owner: bank.BR, channels: ['sms', 'lobby'], product, priority: 10, value },
        [X, Y, Z, W],
      );
    deposits = await launch('three-year deposits', 'TD-36M', '1000.00');
    wealth = await launch('wealth product', 'WM-90D', '200.00');
  }, 120_000);

  afterAll(async () => {
    await harness.destroy();
  });

  it('offers the wealth campaign to a customer of strong wealth potential, over a better-valued one', async () => {
    const strong = await decide(X);
    expect(strong.offer).toMatchObject({
      campaignId: wealth,
      productCodes: ['WM-90D'],
      propensity: '0.9000',
      score: '1800.0000',
    });

    const unknown = await decide(Y);
    expect(unknown.offer).toMatchObject({
      campaignId: deposits,
      productCodes: ['TD-36M'],
      propensity: '0.0500',
      score: '500.0000',
    });
  });

  it('keeps the latest business date: an older profile arriving late changes nothing', async () => {
    await harness.publishEvent(
      EventTypes.CustomerProfileChanged,
      Z,
      profile(Z, '2026-03-01', [wealthTag(5)]),
    );
    await harness.drained();
    expect(await stored(Z)).toEqual([
      { business_date: '2026-03-02', tag_scores: { 'wealth-management': 90 }, value_tier: 'important' },
    ]);
  });

  it('lets the propensity decide the dispatcher’s arbitration between campaigns of equal priority', async () => {
    await harness.query(`UPDATE $schema.target SET due_at = $1 WHERE customer_id = ANY($2)`, [
      new Date(T1),
      [Z, W],
    ]);
    await harness.app.get(ContactDispatcher).runOnce(T1);
    const contactsOf = (customerId: string) =>
      harness.query<{ campaign_id: string; outcome: string; reason: string | null }>(
        `SELECT campaign_id, outcome, reason FROM $schema.contact WHERE customer_id = $1 ORDER BY outcome`,
        [customerId],
      );
    expect(await contactsOf(Z)).toEqual([
      { campaign_id: wealth, outcome: 'sent', reason: null },
      { campaign_id: deposits, outcome: 'suppressed', reason: `lost-arbitration:${wealth}` },
    ]);
    expect(await contactsOf(W)).toEqual([
      { campaign_id: deposits, outcome: 'sent', reason: null },
      { campaign_id: wealth, outcome: 'suppressed', reason: `lost-arbitration:${deposits}` },
    ]);
  });

  it('dead-letters a malformed profile and goes on with the stream', async () => {
    const dlqTopic = deadLetterTopicOf(`${harness.topicPrefix}${Topics.CrmAnalyticsProfile}`);
    await ensureTopics(harness.kafka, [dlqTopic]);
    const dlq = await EventProbe.start(harness.kafka, dlqTopic);
    try {
      const malformed = await harness.publishEvent(EventTypes.CustomerProfileChanged, W, {
        ...profile(W, '2026-03-04', []),
        tags: [{ tag: 'wealth-management', score: 'high', facts: [] }],
      });
      await harness.publishEvent(
        EventTypes.CustomerProfileChanged,
        W,
        profile(W, '2026-03-05', [wealthTag(60)]),
      );
      const dead = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === malformed.id, 60_000);
      expect(dead.headers[EventHeaders.DlqReason]).toMatch(/score/);
      // The profile after it, on the same partition, is applied.
      expect(
        await until(
          () => stored(W),
          (rows) => rows.length > 0,
        ),
      ).toEqual([
        { business_date: '2026-03-05', tag_scores: { 'wealth-management': 60 }, value_tier: 'important' },
      ]);
    } finally {
      await dlq.stop();
    }
  }, 120_000);
});
