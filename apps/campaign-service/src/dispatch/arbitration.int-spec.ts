import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { Role } from '@crm/security';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { bearer, campaignHarness, launchCampaign } from '../testing/campaign.fixture';
import { ContactDispatcher } from './contact-dispatcher.service';

const calendar = new BusinessCalendar('Asia/Shanghai');
const ROUNDS = 3;

/**
 * Arbitration is decided per customer, so it must hold however the due targets are shared out: two
 * instances, each running several dispatch transactions at once, take the targets of two campaigns
 * competing for every customer, all due at the same moment. No cap would stop a second contact: only
 * arbitration gives each customer to one campaign.
 */
describe('arbitration with dispatchers side by side', () => {
  const harness = campaignHarness('arbitration', { DISPATCH_CONCURRENCY: '4' });
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  const staff = () => ({
    author: bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'alice' }),
    approver: bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'bob' }),
  });

  beforeAll(async () => {
    await harness.start();
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 150);
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' }))
      .send({ caps: [], quietHours: [], declineCoolingDays: 0, dailyCapacity: {}, managerDailyTasks: 500 })
      .expect(200);
  }, 120_000);

  afterAll(async () => {
    await harness.destroy();
  });

  it('gives every customer to the higher priority, and records the other as lost to it', async () => {
    const customers = [...bank.out1Customers, ...bank.out2Customers];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const launch = (priority: number, product: string) =>
        launchCampaign(http, staff(), { owner: bank.BR, channels: ['sms'], product, priority }, customers);
      const high = await launch(30, 'TD-3Y');
      const low = await launch(10, 'WM-90D');
      const due = calendar.at(addDays(calendar.today(), round), 12, 0);
      await harness.query(`UPDATE $schema.target SET due_at = $1 WHERE campaign_id IN ($2, $3)`, [
        new Date(due),
        high,
        low,
      ]);

      await Promise.all(harness.instances.map((app) => app.get(ContactDispatcher).runOnce(due)));

      const outcomes = await harness.query<{ customer_id: string; high: string; low: string }>(
        `SELECT customer_id,
                string_agg(outcome || coalesce(':' || reason, ''), ',') FILTER (WHERE campaign_id = $1) AS high,
                string_agg(outcome || coalesce(':' || reason, ''), ',') FILTER (WHERE campaign_id = $2) AS low
           FROM $schema.contact WHERE campaign_id IN ($1, $2) GROUP BY customer_id ORDER BY customer_id`,
        [high, low],
      );
      expect(outcomes).toEqual(
        [...customers].sort().map((customer_id) => ({
          customer_id,
          high: 'sent',
          low: `suppressed:lost-arbitration:${high}`,
        })),
      );
    }
  });
});
