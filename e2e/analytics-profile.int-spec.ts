import request from 'supertest';
import { EventTypes } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { SmallBank, seedSmallBank, until } from '@crm/testing';
import { ANALYTICS_SERVICE } from '../apps/analytics-service/src/service';
import { BankStory, StoryCustomer } from '../apps/analytics-service/src/testing/bank-story.fixture';
import {
  NEXT_QUARTER,
  QUARTER_END,
  headOffice,
  runToEnd,
  tellQuarter,
} from '../apps/analytics-service/src/testing/cob.fixture';
import { WarehouseFeed } from '../apps/analytics-service/src/testing/warehouse.fixture';
import { CUSTOMER_SERVICE } from '../apps/customer-service/src/service';

interface Assigned {
  customer_id: string;
  value_tier: string | null;
  lifecycle_stage: string;
  /** Every field a profile is compared on to decide whether it changed (and is published again). */
  profile: string;
}

/** Customer ids by the value of `key`, customers without one left out; each list sorted. */
const groupBy = (rows: Assigned[], key: 'value_tier' | 'lifecycle_stage'): Map<string, string[]> => {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const value = row[key];
    if (value !== null) groups.set(value, [...(groups.get(value) ?? []), row.customer_id].sort());
  }
  return groups;
};

/**
 * ACRM feeding OCRM (issue 11): analytics-service and customer-service consume the same core-banking
 * topics; the close of business tiers and stages every customer and publishes the profiles on
 * crm.analytics.profile, and customer-service's search and 360 view carry what it assigned. A second
 * close of business after a large deposit publishes only the profiles that changed.
 */
describe('value tiers and lifecycle stages from analytics-service in customer-service’s search', () => {
  const analytics = new ServiceHarness(ANALYTICS_SERVICE, { name: 'e2e-profile' });
  const feed = new WarehouseFeed(analytics);
  const story = new BankStory(feed);
  let customer: ServiceHarness;
  let bank: SmallBank;
  let c: Record<string, StoryCustomer>;
  let firstRun: Record<string, unknown>;

  const assigned = (businessDate: string) =>
    analytics.query<Assigned>(
      `SELECT customer_id, value_tier, lifecycle_stage,
              jsonb_build_array(value_tier, lifecycle_stage, rfm_recency, rfm_frequency, rfm_monetary, rfm_segment,
                                tags, churn_score, churn_reasons, churn_warned)::text AS profile
         FROM $schema.customer_profile WHERE business_date = $1 ORDER BY customer_id`,
      [businessDate],
    );
  const search = async (filter: object): Promise<string[]> => {
    const res = await request(customer.app.getHttpServer())
      .post('/api/v1/customers/search')
      .set('authorization', headOffice(bank))
      .send({ filter, pageSize: 200 })
      .expect(200);
    return res.body.items.map((i: { id: string }) => i.id).sort();
  };
  const view360 = async (customerId: string) =>
    (
      await request(customer.app.getHttpServer())
        .get(`/api/v1/customers/${customerId}/360`)
        .set('authorization', headOffice(bank))
        .expect(200)
    ).body;
  /** Waits until customer-service holds `count` profiles of the date. */
  const applied = async (businessDate: string, count: number) => {
    const held = await until(
      async () =>
        (
          await customer.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM $schema.analytic_profile WHERE business_date = $1`,
            [businessDate],
          )
        )[0].n,
      (n) => n >= count,
      30_000,
    );
    expect(held).toBe(count);
  };
  /** customer-service's search by each tier and stage gives exactly analytics-service's customers of it. */
  const expectSearchesMatch = async (rows: Assigned[]) => {
    for (const [tier, ids] of groupBy(rows, 'value_tier'))
      expect({ tier, ids: await search({ valueTiers: [tier] }) }).toEqual({ tier, ids });
    for (const [stage, ids] of groupBy(rows, 'lifecycle_stage'))
      expect({ stage, ids: await search({ lifecycleStages: [stage] }) }).toEqual({ stage, ids });
  };

  beforeAll(async () => {
    await analytics.start();
    customer = new ServiceHarness(CUSTOMER_SERVICE, {
      name: 'e2e-profile',
      topicPrefix: analytics.topicPrefix,
    });
    await customer.start();
    // Published once through Kafka; both services consume it as they would the bank's.
    bank = await seedSmallBank(feed, 0);
    c = await tellQuarter(story, bank);
    // customer-service handles every event of the story but the managers' (it keeps no manager copy).
    const handled = feed.sent.filter((e) => e.type !== EventTypes.ManagerUpserted).length;
    expect(
      await until(
        () => customer.processedCount(),
        (n) => n >= handled,
        30_000,
      ),
    ).toBe(handled);

    firstRun = await runToEnd(analytics, bank, QUARTER_END);
    await applied(QUARTER_END, story.customers.size);
  }, 90_000);

  afterAll(async () => {
    await customer?.destroy();
    await analytics.destroy();
  }, 60_000);

  it('finds by tier and by stage exactly the customers analytics-service assigned', async () => {
    const rows = await assigned(QUARTER_END);
    expect(rows).toHaveLength(story.customers.size);
    expect(firstRun).toMatchObject({ published: story.customers.size });
    // The story spreads the customers over all four tiers and six stages, several in some.
    expect([...groupBy(rows, 'value_tier').keys()].sort()).toEqual(['core', 'important', 'mass', 'top']);
    expect(groupBy(rows, 'lifecycle_stage').size).toBe(6);
    await expectSearchesMatch(rows);
    expect(await search({ valueTiers: ['top', 'important'], lifecycleStages: ['mature'] })).toEqual(
      rows
        .filter((r) => ['top', 'important'].includes(r.value_tier!) && r.lifecycle_stage === 'mature')
        .map((r) => r.customer_id)
        .sort(),
    );
  });

  it('shows in the 360 view the profile analytics-service serves', async () => {
    for (const customerId of story.customers.keys()) {
      const served = (
        await request(analytics.app.getHttpServer())
          .get(`/api/v1/customers/${customerId}/profile`)
          .set('authorization', headOffice(bank))
          .expect(200)
      ).body;
      const view = await view360(customerId);
      expect(view.profile).toMatchObject({
        valueTier: served.valueTier,
        lifecycleStage: served.lifecycleStage,
      });
      const byTag = (a: { tag: string }, b: { tag: string }) => a.tag.localeCompare(b.tag);
      expect({ ...view.analytics, tags: [...view.analytics.tags].sort(byTag) }).toEqual({
        asOf: QUARTER_END,
        computedAt: new Date(served.computedAt).toISOString(),
        valueTier: served.valueTier,
        lifecycleStage: served.lifecycleStage,
        rfm: served.rfm,
        tags: [...served.tags].sort(byTag),
        churnScore: served.churnScore,
        churnReasons: served.churnReasons,
      });
    }
  });

  it('moves a customer to the tier of a large deposit at the next close of business, publishing only what changed', async () => {
    const before = new Map((await assigned(QUARTER_END)).map((r) => [r.customer_id, r]));
    expect(before.get(c.D.customerId)?.value_tier).toBe('mass');
    await story.entry('D-CA', NEXT_QUARTER, 11, '1000000.00', 'counter');
    await feed.drained();

    const run = await runToEnd(analytics, bank, NEXT_QUARTER);
    const after = await assigned(NEXT_QUARTER);
    const changed = after
      .filter((r) => r.profile !== before.get(r.customer_id)?.profile)
      .map((r) => r.customer_id)
      .sort();
    expect(after.find((r) => r.customer_id === c.D.customerId)?.value_tier).toBe('top');
    expect(changed).toContain(c.D.customerId);
    expect(changed.length).toBeLessThan(story.customers.size);
    expect(run).toMatchObject({ published: changed.length });
    await applied(NEXT_QUARTER, changed.length);

    // customer-service received the changed profiles only: the others keep the first run's.
    const heldOf = async (businessDate: string) =>
      (
        await customer.query<{ customer_id: string }>(
          `SELECT customer_id FROM $schema.analytic_profile WHERE business_date = $1`,
          [businessDate],
        )
      )
        .map((r) => r.customer_id)
        .sort();
    expect(await heldOf(NEXT_QUARTER)).toEqual(changed);
    expect(await heldOf(QUARTER_END)).toEqual(
      [...before.keys()].filter((id) => !changed.includes(id)).sort(),
    );
    await expectSearchesMatch(after);
    expect(await search({ valueTiers: ['top'] })).toContain(c.D.customerId);
    expect(await search({ valueTiers: ['mass'] })).not.toContain(c.D.customerId);
    expect((await view360(c.D.customerId)).analytics).toMatchObject({
      asOf: NEXT_QUARTER,
      valueTier: 'top',
    });
  });
});
