import {
  EVENT_SAMPLES,
  EventHeaders,
  EventTypes,
  Topics,
  deadLetterTopicOf,
  type EventType,
} from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../service';

const CUSTOMER = 'C300000000001';
const INSTITUTION = '800101';
const OPENED_ACCOUNT = '6228480310000300011';
/** An account the service hears of first through a transaction: its currency is not known yet. */
const UNOPENED_ACCOUNT = '6228480310000300029';

const service = new ServiceHarness(CUSTOMER_SERVICE, { name: 'currency' });

const sample = (type: EventType, data: Record<string, unknown>) =>
  service.clock.envelope(type, CUSTOMER, {
    ...EVENT_SAMPLES[type],
    customerId: CUSTOMER,
    institutionId: INSTITUTION,
    ...data,
  });

const credit = (transactionId: string, accountId: string, currency: string, amount: string, after: string) =>
  sample(EventTypes.TransactionPosted, {
    transactionId,
    accountId,
    creditDebitIndicator: 'CRDT',
    amount: { amount, currency },
    balanceAfter: { amount: after, currency },
  });

describe('customer-service and currencies (real Kafka and Postgres)', () => {
  let dlq: EventProbe;

  beforeAll(async () => {
    await service.start();
    const dlqTopic = deadLetterTopicOf(`${service.topicPrefix}${Topics.CorebankTransaction}`);
    await ensureTopics(service.kafka, [dlqTopic]);
    dlq = await EventProbe.start(service.kafka, dlqTopic);
  });

  afterAll(async () => {
    await dlq?.stop();
    await service.destroy();
  });

  it('dead-letters a transaction in a currency ISO 4217 does not list, and keeps it out of the AUM', async () => {
    const xyz = credit('T30000000000000001', OPENED_ACCOUNT, 'XYZ', '500000.00', '501000.00');
    await service.publish(
      sample(EventTypes.CustomerRegistered, { homeInstitutionId: INSTITUTION }),
      sample(EventTypes.AccountOpened, {
        accountId: OPENED_ACCOUNT,
        kind: 'current',
        maturityDate: undefined,
        currency: 'CNY',
        productCode: 'CA-01',
        productName: '活期储蓄',
        balance: { amount: '1000.00', currency: 'CNY' },
      }),
      xyz,
    );

    const deadLetter = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === xyz.id, 60_000);
    expect(deadLetter.headers[EventHeaders.DlqReason]).toContain('currency');
    await eventually(
      async () =>
        (await service.query(`SELECT 1 FROM $schema.holding_summary WHERE customer_id = $1`, [CUSTOMER]))
          .length === 1,
    );
    expect(
      await service.query(`SELECT deposits::text FROM $schema.holding_summary WHERE customer_id = $1`, [
        CUSTOMER,
      ]),
    ).toEqual([{ deposits: '1000.00' }]);
    expect(
      await service.query(`SELECT balance::text FROM $schema.account WHERE id = $1`, [OPENED_ACCOUNT]),
    ).toEqual([{ balance: '1000.00' }]);
  }, 120_000);

  it('records no currency for an account known only from a transaction, until its opening says', async () => {
    await service.publish(credit('T30000000000000002', UNOPENED_ACCOUNT, 'USD', '100.00', '100.00'));
    await eventually(
      async () =>
        (await service.query(`SELECT 1 FROM $schema.account WHERE id = $1`, [UNOPENED_ACCOUNT])).length === 1,
    );
    expect(
      await service.query(`SELECT currency FROM $schema.account WHERE id = $1`, [UNOPENED_ACCOUNT]),
    ).toEqual([{ currency: null }]);

    await service.publish(
      sample(EventTypes.AccountOpened, {
        accountId: UNOPENED_ACCOUNT,
        kind: 'current',
        maturityDate: undefined,
        currency: 'USD',
        productCode: 'FX-01',
        productName: '外币活期',
        balance: { amount: '100.00', currency: 'USD' },
      }),
    );
    await eventually(
      async () =>
        (
          await service.query<{ currency: string | null }>(
            `SELECT currency FROM $schema.account WHERE id = $1`,
            [UNOPENED_ACCOUNT],
          )
        )[0]?.currency === 'USD',
    );
  }, 120_000);
});
