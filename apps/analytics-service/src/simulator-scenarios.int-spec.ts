import request from 'supertest';
import { EventTypes, Topics, validateEventPayload, type CustomerProfileChangedPayload } from '@crm/contracts';
import { ANALYTICS_SCENARIOS, buildScenario, type ExpectedProfile } from '@crm/corebank-simulation';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, until } from '@crm/testing';
import { DEFAULT_CHURN_PARAMETERS } from './profiles/churn.rule';
import { ANALYTICS_SERVICE } from './service';
import { headOffice, runToEnd } from './testing/cob.fixture';

const SEED = 42;
/** Every scenario starts here, so that all close of business on one date: 120 days later. */
const START = Date.parse('2025-03-01T09:00:00+08:00');
/** The simulator's head office is the root of every story's chain (the data scope of head office is the bank). */
const HEAD_OFFICE_OF_STORY = { HO: 'HO' };
const HEAD_OFFICE = headOffice(HEAD_OFFICE_OF_STORY);

/** Every column of the snapshot rows of the date, as text, but when they were computed. */
async function snapshot(harness: ServiceHarness, table: string, date: string, customers: string[]) {
  return harness.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) - 'computed_at' AS row FROM $schema.${table} t
      WHERE business_date = $1 AND customer_id = ANY($2) ORDER BY customer_id`,
    [date, customers],
  );
}

/**
 * The acceptance with the simulator's stories: the churn-drain, idle-deposits and mobile-activation
 * scenarios published through Kafka into analytics-service, a close of business on their business date,
 * and what each scenario states it must find: the churn warning and its reasons, the tags given and not
 * given, the figures behind them. Then the same topics replayed from the start into a fresh schema give
 * the same indicators and profiles.
 */
describe('analytics-service on the simulator’s churn and potential stories', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'scenarios' });
  const runs = ANALYTICS_SCENARIOS.map((s) => buildScenario(s.name, { seed: SEED, start: START }));
  const businessDate = runs[0].analytics!.businessDate;
  const expected: ExpectedProfile[] = runs.flatMap((r) => r.analytics!.profiles);
  const customers = expected.map((p) => p.customerId).sort();
  let probe: EventProbe;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    expect(runs.every((r) => r.analytics!.businessDate === businessDate)).toBe(true);
    await harness.start();
    http = request(harness.app.getHttpServer());
    probe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmAnalyticsProfile}`);
    await harness.publish(...runs.flatMap((r) => r.events));
    await harness.drained(120_000);
    await runToEnd(harness, HEAD_OFFICE_OF_STORY, businessDate);
    await probe.waitForCount((m) => customers.includes(m.key ?? ''), customers.length, 30_000);
  }, 240_000);

  afterAll(async () => {
    await probe?.stop();
    await harness.destroy();
  }, 60_000);

  const published = (customerId: string) =>
    probe.messages.find((m) => m.key === customerId)!.json as CustomerProfileChangedPayload;

  it.each(expected.map((p) => [p.because, p] as const))(
    'finds the figures the story states: %s',
    async (_because, { customerId, facts }) => {
      const [row] = await harness.query<Record<string, string | number>>(
        `SELECT aum::text, aum_30d_before::text, demand_deposits::text, other_bank_out_count_30d,
                other_bank_out_amount_30d::text, accounts_closed_30d, matured_not_renewed_30d, wealth_products_held
           FROM $schema.customer_indicator WHERE business_date = $1 AND customer_id = $2`,
        [businessDate, customerId],
      );
      expect(row).toEqual({
        aum: facts.aum.businessDate,
        aum_30d_before: facts.aum.thirtyDaysBefore,
        demand_deposits: facts.demandDeposits,
        other_bank_out_count_30d: facts.transfersToOtherBanks.count,
        other_bank_out_amount_30d: facts.transfersToOtherBanks.amount,
        accounts_closed_30d: facts.closed.length - facts.maturedNotRenewed.length,
        matured_not_renewed_30d: facts.maturedNotRenewed.length,
        wealth_products_held: facts.holdsWealthProduct ? 1 : 0,
      });
    },
  );

  it.each(expected.filter((p) => p.churn).map((p) => [p.because, p] as const))(
    'warns of churn as the story states, naming its reasons: %s',
    async (_because, { customerId, churn }) => {
      const event = published(customerId);
      expect(validateEventPayload(EventTypes.CustomerProfileChanged, event)).toMatchObject({ ok: true });
      expect({
        warned: event.churnScore >= DEFAULT_CHURN_PARAMETERS.warningLine,
        reasons: event.churnReasons,
      }).toEqual(churn);
      const reasons = await http
        .get(`/api/v1/customers/${customerId}/churn`)
        .query({ businessDate })
        .set('authorization', HEAD_OFFICE)
        .expect(200);
      expect(reasons.body).toMatchObject({
        customerId,
        businessDate,
        score: event.churnScore,
        warned: churn!.warned,
      });
      expect(reasons.body.reasons.map((r: { reason: string }) => r.reason)).toEqual(churn!.reasons);
      for (const reason of reasons.body.reasons) expect(reason.fact).toEqual(expect.any(String));
    },
  );

  it.each(expected.filter((p) => p.tags).map((p) => [p.because, p] as const))(
    'tags the customer as the story states: %s',
    async (_because, { customerId, tags }) => {
      const event = published(customerId);
      const given = event.tags.map((t) => t.tag);
      expect(given).toEqual(expect.arrayContaining(tags!.given));
      for (const tag of tags!.notGiven) expect(given).not.toContain(tag);
      for (const tag of event.tags) {
        expect(tag.score).toBeGreaterThanOrEqual(50);
        expect(tag.facts.length).toBeGreaterThan(0);
      }
    },
  );

  it('lists the warned customers of the bank by score, with the drainer and without the steady one', async () => {
    const list = await http
      .get('/api/v1/churn-warnings')
      .query({ businessDate })
      .set('authorization', HEAD_OFFICE)
      .expect(200);
    const warned = expected.filter((p) => p.churn?.warned).map((p) => p.customerId);
    const listed = list.body.items.map((i: { customerId: string }) => i.customerId);
    expect(listed).toEqual(expect.arrayContaining(warned));
    for (const p of expected.filter((e) => e.churn && !e.churn.warned))
      expect(listed).not.toContain(p.customerId);
  });

  it('gives the same indicators and profiles when the topics are replayed into a fresh schema', async () => {
    const replay = new ServiceHarness(ANALYTICS_SERVICE, {
      name: 'scenarios-replay',
      topicPrefix: harness.topicPrefix,
    });
    try {
      await replay.start();
      const events = runs.reduce((n, r) => n + r.events.length, 0);
      await until(
        () => replay.processedCount(),
        (n) => n >= events,
        120_000,
      );
      await runToEnd(replay, HEAD_OFFICE_OF_STORY, businessDate);
      for (const table of ['customer_indicator', 'customer_profile']) {
        const original = await snapshot(harness, table, businessDate, customers);
        expect(original).toHaveLength(customers.length);
        expect(await snapshot(replay, table, businessDate, customers)).toEqual(original);
      }
    } finally {
      await replay.destroy();
    }
  }, 240_000);
});
