import request from 'supertest';
import { BusinessCalendar } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes } from '@crm/contracts';
import { Role } from '@crm/security';
import { SmallBank, seedSmallBank, until } from '@crm/testing';
import { ContactDispatcher } from '../dispatch/contact-dispatcher.service';
import { bearer, campaignHarness, launchCampaign } from '../testing/campaign.fixture';

const calendar = new BusinessCalendar('Asia/Shanghai');

/**
 * A dispatch transaction dates its contacts when it decides and commits them later; a customer may open
 * the product offered in between, and core banking's event may arrive before the commit. The opening
 * still converts: it came after the contact.
 */
describe('a product opened while its contact is being recorded', () => {
  const harness = campaignHarness('attribution');
  let bank: SmallBank;

  beforeAll(async () => {
    await harness.start();
    bank = await seedSmallBank(harness, 1);
  }, 120_000);

  afterAll(async () => {
    await harness.destroy();
  });

  it('counts as the conversion of that contact', async () => {
    const http = request(harness.app.getHttpServer());
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' }))
      .send({ caps: [], quietHours: [], declineCoolingDays: 0, dailyCapacity: {}, managerDailyTasks: 10 })
      .expect(200);
    const [customerId] = bank.out1Customers;
    const campaignId = await launchCampaign(
      http,
      {
        author: bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'alice' }),
        approver: bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'bob' }),
      },
      { owner: bank.BR, channels: ['sms'], product: 'TD-3Y' },
      [customerId],
    );
    const decidedAt = Date.now();
    await harness.query(`UPDATE $schema.target SET due_at = $1`, [new Date(decidedAt)]);

    // The dispatch transaction is held at its last step, the contact recorded but not committed.
    const holder = harness.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`LOCK TABLE "${harness.schema}".outbox IN EXCLUSIVE MODE`);
    const dispatched = harness.app.get(ContactDispatcher).runOnce(decidedAt);
    await until(
      async () =>
        (
          await harness.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = $1::regclass`,
            [`"${harness.schema}".outbox`],
          )
        )[0].n,
      (n) => n > 0,
      10_000,
    );
    const handled = await harness.processedCount();
    const openedAt = decidedAt + 1_000;
    await harness.publish({
      ...harness.clock.envelope(EventTypes.AccountOpened, customerId, {
        ...EVENT_SAMPLES[EventTypes.AccountOpened],
        accountId: `A-${customerId}-TD-3Y`,
        customerId,
        institutionId: bank.OUT1,
        productCode: 'TD-3Y',
        openedOn: calendar.dateOf(openedAt),
      }),
      time: new Date(openedAt).toISOString(),
    });
    // Time for the opening to be handled, if nothing holds it back.
    await until(
      () => harness.processedCount(),
      (n) => n > handled,
      3_000,
    );
    await holder.commitTransaction();
    await holder.release();
    expect(await dispatched).toMatchObject({ sent: 1 });
    await harness.drained();

    expect(
      await harness.query(`SELECT campaign_id, customer_id, arm, converted_at FROM $schema.conversion`),
    ).toEqual([
      {
        campaign_id: campaignId,
        customer_id: customerId,
        arm: 'treatment',
        converted_at: new Date(openedAt),
      },
    ]);
  });
});
