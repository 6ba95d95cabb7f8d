import request from 'supertest';
import { ServiceHarness } from '@crm/service-harness';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { DEFAULT_CONTRIBUTION_SPREADS } from '../indicators/contribution.rule';
import { DEFAULT_CHURN_PARAMETERS } from '../profiles/churn.rule';
import { DEFAULT_POTENTIAL_TAG_PARAMETERS } from '../profiles/potential-tag.rule';
import { ANALYTICS_SERVICE } from '../service';
import { BankStory, StoryCustomer } from '../testing/bank-story.fixture';
import { QUARTER_END, headOffice, runToEnd } from '../testing/cob.fixture';
import { WarehouseFeed } from '../testing/warehouse.fixture';

/** The bank's parameters of the close of business: validated, audited, and in force from the next run. */
describe('analytics-service parameters: value-tier thresholds and contribution spreads', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'parameters' });
  const feed = new WarehouseFeed(harness);
  const story = new BankStory(feed);
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let customer: StoryCustomer;

  const tierOf = async () =>
    (
      await http
        .get(`/api/v1/customers/${customer.customerId}/profile`)
        .query({ businessDate: QUARTER_END })
        .set('authorization', headOffice(bank))
        .expect(200)
    ).body.valueTier;

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(feed, 0);
    customer = await story.customer('T', bank.OUT1, bank.M1);
    await story.openAccount(customer, 'T-SA', 'savings', '2023-06-01', '80000.00');
    await feed.drained();
  }, 120_000);

  afterAll(() => harness.destroy(), 60_000);

  it('names the field at fault: thresholds must be positive and strictly decrease', async () => {
    const put = (body: object) =>
      http.put('/api/v1/analytics-parameters/value-tiers').set('authorization', headOffice(bank)).send(body);
    const fields = async (body: object) =>
      ((await put(body).expect(400)).body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(
      await fields({ currency: 'CNY', top: '300000.00', important: '300000.00', core: '50000.00' }),
    ).toEqual(['top']);
    expect(
      await fields({ currency: 'CNY', top: '1000000.00', important: '300000.00', core: '0.00' }),
    ).toEqual(['core']);
    expect(await fields({ currency: 'USD', top: '1e6', important: '300000.00', core: '50000.00' })).toEqual([
      'currency',
      'top',
    ]);
    const spreads = await http
      .put('/api/v1/analytics-parameters/contribution-spreads')
      .set('authorization', headOffice(bank))
      .send({ ...DEFAULT_CONTRIBUTION_SPREADS, loan: '1.5' })
      .expect(400);
    expect(spreads.body.errors.map((e: { field: string }) => e.field)).toEqual(['loan']);
  });

  it('applies new thresholds from the next run, audits the change, and publishes the tiers that moved', async () => {
    expect(
      (
        await http
          .get('/api/v1/analytics-parameters/value-tiers')
          .set('authorization', headOffice(bank))
          .expect(200)
      ).body,
    ).toEqual({
      thresholds: { currency: 'CNY', top: '1000000.00', important: '300000.00', core: '50000.00' },
      changedBy: null,
      changedAt: null,
    });
    await runToEnd(harness, bank, QUARTER_END);
    expect(await tierOf()).toBe('core');

    const set = await http
      .put('/api/v1/analytics-parameters/value-tiers')
      .set('authorization', headOffice(bank))
      .send({ currency: 'CNY', top: '2000000.00', important: '500000.00', core: '80000.01' })
      .expect(200);
    expect(set.body).toMatchObject({
      thresholds: { top: '2000000.00', important: '500000.00', core: '80000.01' },
      changedBy: 'head-office',
    });
    expect(
      await harness.query(
        `SELECT action, details FROM $schema.audit_log WHERE resource_type = 'analytics-parameters'`,
      ),
    ).toEqual([
      {
        action: 'analytics-parameters.value-tiers.set',
        details: {
          before: null,
          after: { top: '2000000.00', important: '500000.00', core: '80000.01' },
        },
      },
    ]);

    const rerun = await runToEnd(harness, bank, QUARTER_END);
    expect(rerun).toMatchObject({ parameters: { valueTiers: { core: '80000.01' } }, published: 1 });
    expect(await tierOf()).toBe('mass');
    const spreads = await http
      .put('/api/v1/analytics-parameters/contribution-spreads')
      .set('authorization', headOffice(bank))
      .send({ ...DEFAULT_CONTRIBUTION_SPREADS, savings: '0.036500' })
      .expect(200);
    expect(spreads.body.spreads.savings).toBe('0.036500');
    await runToEnd(harness, bank, QUARTER_END);
    const indicators = await http
      .get(`/api/v1/customers/${customer.customerId}/indicators`)
      .set('authorization', headOffice(bank))
      .expect(200);
    // 80,000.00 × 0.0365 / 365 a day; 31 days to 31 March.
    expect(indicators.body.contribution).toEqual({ day: '8.00', monthToDate: '248.00' });
  });

  it('validates the potential-tag and churn parameters, naming the nested field at fault, and audits them', async () => {
    const put = (name: string, body: object) =>
      http.put(`/api/v1/analytics-parameters/${name}`).set('authorization', headOffice(bank)).send(body);
    const fields = async (name: string, body: object) =>
      ((await put(name, body).expect(400)).body.errors as { field: string }[]).map((e) => e.field).sort();
    const tags = DEFAULT_POTENTIAL_TAG_PARAMETERS;
    expect(
      await fields('potential-tags', {
        ...tags,
        wealthManagement: { minDemandDeposits: '0.00', maxTurnoverShare: '1.5' },
        creditCard: { minPosPurchases: 0 },
      }),
    ).toEqual([
      'creditCard.minPosPurchases',
      'wealthManagement.maxTurnoverShare',
      'wealthManagement.minDemandDeposits',
    ]);
    expect(await fields('potential-tags', { ...tags, loan: undefined })).toEqual(['loan']);
    const churn = DEFAULT_CHURN_PARAMETERS;
    expect(
      await fields('churn-warning', {
        ...churn,
        warningLine: 101,
        weights: { ...churn.weights, closures: -1 },
        aumFallShare: '0',
      }),
    ).toEqual(['aumFallShare', 'warningLine', 'weights.closures']);

    const defaults = await http
      .get('/api/v1/analytics-parameters/churn-warning')
      .set('authorization', headOffice(bank))
      .expect(200);
    expect(defaults.body).toEqual({ churn: DEFAULT_CHURN_PARAMETERS, changedBy: null, changedAt: null });
    const set = await put('churn-warning', { ...churn, warningLine: 60 }).expect(200);
    expect(set.body).toMatchObject({ churn: { warningLine: 60 }, changedBy: 'head-office' });
    await put('potential-tags', { ...tags, creditCard: { minPosPurchases: 30 } }).expect(200);
    expect(
      (
        await http
          .get('/api/v1/analytics-parameters/potential-tags')
          .set('authorization', headOffice(bank))
          .expect(200)
      ).body.rules.creditCard,
    ).toEqual({ minPosPurchases: 30 });
    const audited = await harness.query<{ action: string }>(
      `SELECT action FROM $schema.audit_log WHERE resource_type = 'analytics-parameters' ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'analytics-parameters.churn-warning.set',
        'analytics-parameters.potential-tags.set',
      ]),
    );
    const run = await runToEnd(harness, bank, QUARTER_END);
    expect(run).toMatchObject({
      parameters: { churn: { warningLine: 60 }, potentialTags: { creditCard: { minPosPurchases: 30 } } },
    });
  });
});
