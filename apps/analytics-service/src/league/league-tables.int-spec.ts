import request from 'supertest';
import { EventTypes } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { ANALYTICS_SERVICE } from '../service';
import { BankStory, StoryCustomer } from '../testing/bank-story.fixture';
import { MID_MARCH, QUARTER_END, headOffice, runToEnd } from '../testing/cob.fixture';
import { WarehouseFeed, at } from '../testing/warehouse.fixture';

/**
 * League tables over the second half of March 2024 (after 15 March up to 31 March, 16 days) on a small bank:
 * every figure stated here by hand from the story, the ranking, CSV and SVG, and the period's rules.
 */
describe('analytics-service league tables per institution and manager over a period', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'league' });
  const feed = new WarehouseFeed(harness);
  const story = new BankStory(feed);
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  const c: Record<'A' | 'B' | 'C', StoryCustomer> = {} as never;

  const contact = (
    contactId: string,
    campaignId: string,
    customer: StoryCustomer,
    date: string,
    product: string,
  ) =>
    feed.publishEvent(EventTypes.ContactRequested, customer.customerId, {
      contactId: story.id(contactId),
      campaignId,
      customerId: customer.customerId,
      channel: 'sms',
      productCodes: [product],
      message: 'offer',
      institutionId: customer.institutionId,
      managerId: null,
      dueAt: at(date, 10),
    });
  const table = (by: string, query: Record<string, string | number> = {}) =>
    http
      .get(`/api/v1/league-tables/${by}`)
      .query({ from: MID_MARCH, to: QUARTER_END, ...query })
      .set('authorization', headOffice(bank));

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(feed, 0);
    c.A = await story.customer('A', bank.OUT1, bank.M1);
    await story.openAccount(c.A, 'A-SA', 'savings', '2023-06-01', '100000.00');
    await story.entry('A-SA', '2024-03-20', 10, '50000.00', 'counter');
    // B is new: contacted by two campaigns on the 20th, opens the current account one offered on the 25th.
    c.B = await story.customer('B', bank.OUT1, bank.M1);
    await contact('K-B1', 'CMP-1', c.B, '2024-03-20', 'CA-01');
    await contact('K-B2', 'CMP-2', c.B, '2024-03-20', 'TD-12M');
    await story.openAccount(c.B, 'B-CA', 'current', '2024-03-25', '30000.00');
    // C borrows within the period, and was contacted before it.
    c.C = await story.customer('C', bank.OUT2, bank.M2);
    await story.openAccount(c.C, 'C-CA', 'current', '2023-06-01', '20000.00');
    await story.entry('C-CA', '2024-03-22', 10, '-5000.00', 'mobile');
    await story.disburse(c.C, 'C-LN', '2024-03-18', '200000.00');
    await story.repay('C-LN', '2024-03-28', '180000.00');
    await contact('K-C1', 'CMP-1', c.C, '2024-03-10', 'PL-CONSUMER');
    await feed.drained();
    await runToEnd(harness, bank, MID_MARCH);
    await runToEnd(harness, bank, QUARTER_END);
  }, 180_000);

  afterAll(() => harness.destroy(), 60_000);

  it('states every figure of each institution and ranks by AUM growth by default', async () => {
    const { body } = await table('institutions').expect(200);
    expect(body).toMatchObject({
      by: 'institutions',
      from: MID_MARCH,
      to: QUARTER_END,
      days: 16,
      rankBy: 'aumGrowth',
      attributionDays: 30,
    });
    expect(body.notCounted).toHaveLength(2);
    expect(body.rows).toEqual([
      {
        rank: 1,
        key: bank.OUT1,
        name: bank.OUT1,
        customers: 2,
        aumFrom: '100000.00',
        aumTo: '180000.00',
        aumGrowth: '80000.00',
        // A: 4 days of 100000.00 and 12 of 150000.00; B: 7 days of 30000.00; over 16 days.
        aumDailyAverage: '150625.00',
        aumDailyAverageGrowth: '50625.00',
        newCustomers: 1,
        loansFrom: '0.00',
        loansTo: '0.00',
        loanGrowth: '0.00',
        newLoans: 0,
        newLoanBalance: '0.00',
        contacts: 2,
        contactedCustomers: 2,
        conversions: 1,
        conversionRate: '0.5000',
      },
      {
        rank: 2,
        key: bank.OUT2,
        name: bank.OUT2,
        customers: 1,
        aumFrom: '20000.00',
        aumTo: '15000.00',
        aumGrowth: '-5000.00',
        aumDailyAverage: '16875.00',
        aumDailyAverageGrowth: '-3125.00',
        newCustomers: 0,
        loansFrom: '0.00',
        loansTo: '180000.00',
        loanGrowth: '180000.00',
        newLoans: 1,
        newLoanBalance: '180000.00',
        contacts: 0,
        contactedCustomers: 0,
        conversions: 0,
        conversionRate: null,
      },
    ]);
  });

  it('ranks managers by another measure, and narrows to an institution', async () => {
    const { body } = await table('managers', { rankBy: 'newLoanBalance' }).expect(200);
    expect(body.rows.map((r: { key: string; rank: number }) => [r.key, r.rank])).toEqual([
      [bank.M2, 1],
      [bank.M1, 2],
    ]);
    const narrowed = await table('managers', { institutionId: bank.OUT2 }).expect(200);
    expect(narrowed.body.rows.map((r: { key: string }) => r.key)).toEqual([bank.M2]);
    // A window too short for B's opening five days after the contact: no conversion.
    const short = await table('institutions', { attributionDays: 5 }).expect(200);
    expect(short.body.rows[0]).toMatchObject({ key: bank.OUT1, conversions: 0, conversionRate: '0.0000' });
  });

  it('gives the table as CSV and as an SVG chart', async () => {
    const csv = await table('institutions.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^by,from,to,rank_by,attribution_days,rank,key,name,customers,aumFrom,/);
    expect(lines[1]).toBe(
      `institutions,${MID_MARCH},${QUARTER_END},aumGrowth,30,1,${bank.OUT1},${bank.OUT1},2,100000.00,180000.00,` +
        '80000.00,150625.00,50625.00,1,0.00,0.00,0.00,0,0.00,2,2,1,0.5000',
    );
    expect(lines).toHaveLength(3);
    const svg = await table('managers.svg', { rankBy: 'aumDailyAverageGrowth' }).expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const text = svg.body.toString();
    expect(text).toContain(`<title>1. ${bank.M1}: 50625.00</title>`);
    expect(text).toContain(`<title>2. ${bank.M2}: -3125.00</title>`);
  });

  it('refuses a period backwards, across years, or without a close of business at both ends', async () => {
    const fields = async (query: Record<string, string>) =>
      ((await table('institutions', query).expect(400)).body.errors as { field: string }[]).map(
        (e) => e.field,
      );
    expect(await fields({ from: QUARTER_END, to: MID_MARCH })).toEqual(['to']);
    expect(await fields({ from: '2023-12-30' })).toEqual(['from']);
    expect(await fields({ from: '2024-02-30', rankBy: 'height' })).toEqual(['from', 'rankBy']);
    const notRun = await table('institutions', { from: '2024-03-01' }).expect(422);
    expect(notRun.body.code).toBe('PERIOD_NOT_RUN');
  });
});
