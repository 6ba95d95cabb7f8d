import request from 'supertest';
import { EventHeaders, EventTypes, Topics, validateEventPayload } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, ProbedMessage, SmallBank, seedSmallBank } from '@crm/testing';
import { DEFAULT_CONTRIBUTION_SPREADS } from '../indicators/contribution.rule';
import { DEFAULT_VALUE_TIER_THRESHOLDS } from '../profiles/value-tier.rule';
import { ANALYTICS_SERVICE } from '../service';
import { BankStory, StoryCustomer } from '../testing/bank-story.fixture';
import {
  MID_MARCH,
  NEXT_QUARTER,
  QUARTER_END,
  asText,
  headOffice,
  runToEnd,
  snapshotRows,
  tellQuarter,
} from '../testing/cob.fixture';
import { referenceIndicators, referenceProfiles } from '../testing/cob-reference';
import { WarehouseFeed } from '../testing/warehouse.fixture';

const PROFILE_COLUMNS = [
  'customer_id',
  'value_tier',
  'lifecycle_stage',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'rfm_segment',
];

/**
 * The close of business on the real stack, against a reference computed in the test from the same story:
 * every indicator of every customer, daily averages across a month and a quarter boundary, tiers at their
 * thresholds, lifecycle and RFM; runs idempotent and shard-independent, a backfill blind to later facts,
 * and profiles published only when they changed.
 */
describe('analytics-service close of business: warehouse → indicators → profiles → crm.analytics.profile', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'cob' });
  const feed = new WarehouseFeed(harness);
  const story = new BankStory(feed);
  let bank: SmallBank;
  let c: Record<string, StoryCustomer>;
  let probe: EventProbe;
  let http: ReturnType<typeof request>;
  const runs: Record<string, Record<string, unknown>> = {};

  const expectedIndicators = (date: string) => referenceIndicators(story, date, DEFAULT_CONTRIBUTION_SPREADS);
  const expectedProfiles = (date: string) =>
    referenceProfiles(expectedIndicators(date), date, DEFAULT_VALUE_TIER_THRESHOLDS);
  const indicatorColumns = () => Object.keys([...expectedIndicators(QUARTER_END).values()][0]);
  const storedIndicators = (date: string) =>
    snapshotRows(harness, 'customer_indicator', date, indicatorColumns());
  const storedProfiles = (date: string) => snapshotRows(harness, 'customer_profile', date, PROFILE_COLUMNS);
  const asTextMap = (rows: Map<string, Record<string, unknown>>) =>
    new Map([...rows].map(([id, row]) => [id, asText(row)]));
  const eventsOf = (date: string) =>
    probe.messages.filter((m) => (m.json as { businessDate?: string })?.businessDate === date);
  const profileOfEvent = (m: ProbedMessage) => {
    const p = m.json as {
      customerId: string;
      valueTier: string | null;
      lifecycleStage: string;
      rfm: null | Record<string, unknown>;
    };
    return asText({
      customer_id: p.customerId,
      value_tier: p.valueTier,
      lifecycle_stage: p.lifecycleStage,
      rfm_recency: p.rfm?.recency ?? null,
      rfm_frequency: p.rfm?.frequency ?? null,
      rfm_monetary: p.rfm?.monetary ?? null,
      rfm_segment: p.rfm?.segment ?? null,
    });
  };

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    probe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmAnalyticsProfile}`);
    bank = await seedSmallBank(feed, 0);
    c = await tellQuarter(story, bank);
    runs[QUARTER_END] = await runToEnd(harness, bank, QUARTER_END);
    runs[NEXT_QUARTER] = await runToEnd(harness, bank, NEXT_QUARTER);
  }, 180_000);

  afterAll(async () => {
    await probe?.stop();
    await harness.destroy();
  }, 60_000);

  it('computes every indicator of every customer as the reference does, at a quarter’s end', async () => {
    const expected = expectedIndicators(QUARTER_END);
    expect(await storedIndicators(QUARTER_END)).toEqual(asTextMap(expected));
    // A few figures by hand, so the reference is checked too.
    expect(expected.get(c.E.customerId)).toMatchObject({
      aum: '100000.00',
      aum_avg_ytd: '113186.81', // (4 days × 400,000 + 87 × 100,000) / 91
      aum_avg_prev_90d: '400000.00',
      aum_avg_90d: '110000.00', // (3 × 400,000 + 87 × 100,000) / 90
    });
    expect(expected.get(c.G.customerId)).toMatchObject({ card_balance: '1600.00', kinds_held: 2 });
    expect(expected.get(c.H.customerId)).toMatchObject({ loan_balance: '180000.00', txn_count_30d: 11 });
  });

  it('counts daily averages across the month and quarter boundary from the first day of each', async () => {
    const expected = expectedIndicators(NEXT_QUARTER);
    expect(await storedIndicators(NEXT_QUARTER)).toEqual(asTextMap(expected));
    expect(expected.get(c.C.customerId)).toMatchObject({
      aum_avg_mtd: '310000.00',
      aum_avg_qtd: '310000.00',
      deposits_avg_ytd: '300108.70', // (91 × 300,000 + 310,000) / 92
    });
  });

  it('puts a figure exactly at a threshold in the higher tier, a fen below in the lower', async () => {
    const tiers = async (date: string) =>
      Object.fromEntries(
        [...(await storedProfiles(date)).values()].map((p) => [p.customer_id, p.value_tier]),
      );
    const atQuarterEnd = await tiers(QUARTER_END);
    expect([c.A, c.B, c.C, c.D].map((x) => atQuarterEnd[x.customerId])).toEqual([
      'top',
      'important',
      'important',
      'mass',
    ]);
    // B's month-to-date average is 999,999.99 on 31 March, 1,000,000.00 on 1 April.
    expect((await tiers(NEXT_QUARTER))[c.B.customerId]).toBe('top');
    expect(runs[QUARTER_END]).toMatchObject({
      parameters: {
        valueTiers: DEFAULT_VALUE_TIER_THRESHOLDS,
        contributionSpreads: DEFAULT_CONTRIBUTION_SPREADS,
      },
    });
  });

  it('gives lifecycle stages and RFM scores and segments as the reference does', async () => {
    for (const date of [QUARTER_END, NEXT_QUARTER])
      expect(await storedProfiles(date)).toEqual(asTextMap(expectedProfiles(date)));
    const stages = Object.fromEntries(
      [...expectedProfiles(QUARTER_END).values()].map((p) => [p.customer_id, p.lifecycle_stage]),
    );
    expect(
      Object.fromEntries(Object.entries(c).map(([name, customer]) => [name, stages[customer.customerId]])),
    ).toEqual({
      A: 'mature',
      B: 'mature',
      C: 'mature',
      D: 'mature',
      E: 'declining',
      F: 'growing',
      G: 'new',
      H: 'growing',
      I: 'lost',
      J: 'growing',
      P: 'prospect',
      Q: 'prospect',
    });
  });

  it('publishes every profile of the first run, then only those that changed', async () => {
    const all = await probe.waitForCount((m) => eventsOf(QUARTER_END).includes(m), story.customers.size);
    expect(new Map(all.map((m) => [m.key, profileOfEvent(m)]))).toEqual(
      asTextMap(expectedProfiles(QUARTER_END)),
    );

    const before = expectedProfiles(QUARTER_END);
    const changed = [...expectedProfiles(NEXT_QUARTER).values()].filter(
      (p) => JSON.stringify(p) !== JSON.stringify(before.get(p.customer_id as string)),
    );
    expect(changed.map((p) => p.customer_id)).toEqual(expect.arrayContaining([c.B.customerId]));
    expect(changed.length).toBeLessThan(story.customers.size);
    const next = await probe.waitForCount((m) => eventsOf(NEXT_QUARTER).includes(m), changed.length);
    expect(new Map(next.map((m) => [m.key, profileOfEvent(m)]))).toEqual(
      new Map(changed.map((p) => [p.customer_id as string, asText(p)])),
    );
    expect(runs[NEXT_QUARTER]).toMatchObject({ changed: changed.length, published: changed.length });
    // Tags and churn travel as stored (their rules are checked in potential-churn-rules and the scenarios).
    for (const m of next) {
      const [stored] = await harness.query<{
        tags: { tag: string; score: number }[];
        churn_score: number;
        churn_reasons: { reason: string }[];
      }>(
        `SELECT tags, churn_score, churn_reasons FROM $schema.customer_profile
          WHERE business_date = $1 AND customer_id = $2`,
        [NEXT_QUARTER, m.key],
      );
      expect(m.json).toMatchObject({
        tags: stored.tags.map((t) => expect.objectContaining(t)),
        churnScore: stored.churn_score,
        churnReasons: stored.churn_reasons.map((r) => r.reason),
      });
    }
    for (const m of [...all, ...next]) {
      expect(m.headers[EventHeaders.Type]).toBe(EventTypes.CustomerProfileChanged);
      expect(validateEventPayload(EventTypes.CustomerProfileChanged, m.json)).toMatchObject({ ok: true });
    }
  });

  it('gives the planner the date’s indicators and profiles as the run writes them', async () => {
    // Never analyzed, a partition counts -1 tuples: the profiles and their publication would not use the keys.
    const month = NEXT_QUARTER.slice(0, 7).replace('-', '_');
    const partitions = await harness.query<{ reltuples: number }>(
      `SELECT reltuples FROM pg_class WHERE relnamespace = '$schema'::regnamespace AND relname = ANY($1)`,
      [[`customer_indicator_${month}`, `customer_profile_${month}`]],
    );
    expect(partitions.map((p) => p.reltuples)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(...partitions.map((p) => p.reltuples))).toBeGreaterThan(0);
  });

  it('keeps the tier history, a row per change with its business date', async () => {
    const response = await http
      .get(`/api/v1/customers/${c.B.customerId}/value-tier-changes`)
      .set('authorization', headOffice(bank))
      .expect(200);
    expect(response.body.changes).toEqual([
      { businessDate: NEXT_QUARTER, fromTier: 'important', toTier: 'top' },
      { businessDate: QUARTER_END, fromTier: null, toTier: 'important' },
    ]);
  });

  it('re-runs a date in three shards to the same rows, publishing nothing again', async () => {
    const read = async () => ({
      indicators: await storedIndicators(NEXT_QUARTER),
      profiles: await harness.query(
        `SELECT to_jsonb(p)::text AS row FROM $schema.customer_profile p WHERE business_date = $1 ORDER BY customer_id`,
        [NEXT_QUARTER],
      ),
      tiers: await harness.query(
        `SELECT to_jsonb(t)::text AS row FROM $schema.value_tier_change t ORDER BY 1`,
      ),
    });
    const first = await read();
    const events = probe.messages.length;
    const again = await runToEnd(harness, bank, NEXT_QUARTER, 3);
    expect(await read()).toEqual(first);
    expect(again).toMatchObject({ shards: 3, customers: story.customers.size, published: 0 });
    expect((again.shardProgress as { stage: string }[]).map((s) => s.stage)).toEqual([
      'published',
      'published',
      'published',
    ]);
    await new Promise((settle) => setTimeout(settle, 1_000));
    expect(probe.messages.length).toBe(events);
  });

  it('backfills a past date from the facts of that date and before only', async () => {
    const run = await runToEnd(harness, bank, MID_MARCH);
    const expected = expectedIndicators(MID_MARCH);
    expect(expected.has(c.Q.customerId)).toBe(false); // registered on 20 March
    expect(expected.get(c.H.customerId)).toMatchObject({ loan_balance: '200000.00' }); // repaid on 20 March
    expect(expected.get(c.G.customerId)).toMatchObject({ card_balance: '1200.00' }); // before the statement
    expect(await storedIndicators(MID_MARCH)).toEqual(asTextMap(expected));
    expect(await storedProfiles(MID_MARCH)).toEqual(asTextMap(expectedProfiles(MID_MARCH)));
    expect(run).toMatchObject({ previousBusinessDate: null, customers: expected.size });
    // The later dates' figures stay as they were.
    expect(await storedIndicators(QUARTER_END)).toEqual(asTextMap(expectedIndicators(QUARTER_END)));
  });

  it('publishes, when a date is run again, what a run that died while publishing left, under the same event ids', async () => {
    const [died] = await harness.query<{ run_id: string; published: number }>(
      `SELECT run_id, published FROM $schema.cob_run WHERE business_date = $1 AND status = 'succeeded'`,
      [MID_MARCH],
    );
    const idsOf = () => {
      const ids = new Map<string, Set<string>>();
      for (const m of eventsOf(MID_MARCH))
        ids.set(m.key!, (ids.get(m.key!) ?? new Set()).add(m.headers[EventHeaders.Id]));
      return ids;
    };
    const before = idsOf();
    expect(before.size).toBe(died.published);
    // As its process left it, killed in the middle of the publication: running, no heartbeat since, every
    // shard profiled and none published.
    await harness.query(
      `UPDATE $schema.cob_run SET status = 'running', phase = 'publishing', finished_at = NULL,
              heartbeat_at = now() - interval '1 day' WHERE run_id = $1`,
      [died.run_id],
    );
    await harness.query(
      `UPDATE $schema.cob_run_shard SET stage = 'profiled', published_through = NULL WHERE run_id = $1`,
      [died.run_id],
    );

    const again = await runToEnd(harness, bank, MID_MARCH, 3);
    expect(again.runId).not.toBe(died.run_id);
    expect(again).toMatchObject({ status: 'succeeded', published: died.published });
    await probe.waitForCount((m) => eventsOf(MID_MARCH).includes(m), 2 * died.published);
    expect(idsOf()).toEqual(before);
  });

  it('serves a customer’s indicators and profile, by default of the latest date', async () => {
    const indicators = await http
      .get(`/api/v1/customers/${c.E.customerId}/indicators`)
      .set('authorization', headOffice(bank))
      .expect(200);
    const e = expectedIndicators(NEXT_QUARTER).get(c.E.customerId)!;
    expect(indicators.body).toMatchObject({
      businessDate: NEXT_QUARTER,
      primaryInstitutionId: bank.OUT1,
      assets: { aum: e.aum, demandDeposits: e.demand_deposits },
      dailyAverages: { aumYtd: e.aum_avg_ytd, aumMtd: e.aum_avg_mtd },
      activity: { recencyDays: e.recency_days },
    });
    const profile = await http
      .get(`/api/v1/customers/${c.E.customerId}/profile`)
      .query({ businessDate: QUARTER_END })
      .set('authorization', headOffice(bank))
      .expect(200);
    expect(profile.body).toMatchObject({
      businessDate: QUARTER_END,
      valueTier: 'core',
      lifecycleStage: 'declining',
    });
  });

  it('sums the indicators per primary institution and manager', async () => {
    const expected = [...expectedIndicators(QUARTER_END).values()];
    const sumOf = (institution: string, column: string) =>
      expected
        .filter((r) => r.primary_institution_id === institution)
        .reduce((s, r) => s + Math.round(Number(r[column]) * 100), 0) / 100;
    const response = await http
      .get('/api/v1/indicator-aggregates/institutions')
      .query({ businessDate: QUARTER_END })
      .set('authorization', headOffice(bank))
      .expect(200);
    expect(
      response.body.rows.map((r: { key: string; customers: number; aum: string; aumAvgYtd: string }) => [
        r.key,
        r.customers,
        Number(r.aum),
        Number(r.aumAvgYtd),
      ]),
    ).toEqual(
      [bank.OUT1, bank.OUT2].map((i) => [
        i,
        expected.filter((r) => r.primary_institution_id === i).length,
        sumOf(i, 'aum'),
        sumOf(i, 'aum_avg_ytd'),
      ]),
    );
    const managers = await http
      .get('/api/v1/indicator-aggregates/managers')
      .query({ businessDate: QUARTER_END, institutionId: bank.OUT2 })
      .set('authorization', headOffice(bank))
      .expect(200);
    expect(managers.body.rows.map((r: { key: string }) => r.key)).toEqual([bank.M2]);
    expect(managers.body.rows[0].tiers).toEqual({ top: 0, important: 0, core: 1, mass: 2, none: 3 });
  });
});
