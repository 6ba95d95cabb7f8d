import { randomUUID } from 'node:crypto';
import {
  AccountKind,
  AlertKind,
  DEFAULT_ALERT_PARAMETERS,
  EventTypes,
  type AccountOpenedPayload,
  type CustomerRegisteredPayload,
  type TransactionPostedPayload,
  type TransactionReversedPayload,
} from '@crm/contracts';
import { tellScenario, type SimEvent, type Story } from '@crm/corebank-simulation';
import { EventBatch } from '@crm/messaging';
import { REDIS } from '@crm/persistence';
import { ServiceHarness } from '@crm/service-harness';
import type Redis from 'ioredis';
import { AlertParametersRepository } from '../parameters/alert-parameters.repository';
import { ALERT_SERVICE } from '../service';
import { AlertEngine, type Handling } from './alert-engine.service';

const DAY_MS = 86_400_000;

/**
 * What the engine reads once per batch and writes once per batch (reminder clocks, parameters, flow
 * entries) must give the same alerts as one event per transaction, whatever the batch holds. Each story is
 * applied both ways, to customers of its own, straight through the engine on the real Postgres and Redis.
 */
describe.each([
  ['in one batch', (events: SimEvent[]) => [events]],
  ['one event per batch', (events: SimEvent[]) => events.map((e) => [e])],
])('alert engine, a story applied %s', (_, batchesOf) => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'batch' });
  let engine: AlertEngine;
  let parameters: AlertParametersRepository;
  let redis: Redis;
  // Far ahead of the wall clock, so only event time can bring a reminder due.
  const start = Date.now() + 60 * DAY_MS;
  let seed = 1;

  beforeAll(async () => {
    const app = await harness.start();
    engine = app.get(AlertEngine);
    parameters = app.get(AlertParametersRepository);
    redis = app.get(REDIS);
  }, 60_000);

  afterAll(() => harness.destroy(), 60_000);

  const tell = (tellStory: (story: Story) => void) =>
    tellScenario({ name: 'batch-case', summary: 'batch case', tell: tellStory }, seed++, start);

  const handle = (h: Handling): Promise<void> | undefined => {
    const data: unknown = h.envelope.data;
    switch (h.envelope.type) {
      case EventTypes.TransactionPosted:
        return engine.transactionPosted(h, data as TransactionPostedPayload);
      case EventTypes.TransactionReversed:
        return engine.transactionReversed(h, data as TransactionReversedPayload);
      case EventTypes.AccountOpened:
        return engine.accountOpened(h, data as AccountOpenedPayload);
      case EventTypes.CustomerRegistered:
        return engine.customerEvent(h, (data as CustomerRegisteredPayload).customerId);
      default:
        // Institutions and managers: reference data for the coverage consumer.
        return undefined;
    }
  };

  const apply = async (events: SimEvent[]) => {
    for (const together of batchesOf(events)) {
      await harness.dataSource.transaction(async (tx) => {
        const batch = new EventBatch(together);
        for (const envelope of together) await handle({ tx, envelope, batch });
        await batch.flush();
      });
    }
  };

  const alertsOf = (customerId: string) =>
    harness.query<{ kind: string; subject_ref: string }>(
      `SELECT kind, subject_ref FROM $schema.alert WHERE customer_id = $1 ORDER BY kind`,
      [customerId],
    );

  const flowOf = (transactionId: string) =>
    harness.query<{ reversed: boolean }>(
      `SELECT reversed FROM $schema.flow_entry WHERE transaction_id = $1`,
      [transactionId],
    );

  const postingOf = (event: SimEvent) => event.data as TransactionPostedPayload;

  it('takes a posting reversed later in the batch out of the window sum', async () => {
    let reversedId = '';
    const run = tell((story) => {
      const account = story.currentAccount(story.individual(), '1000.00');
      // The account's first entry loads its window; the rest of the batch finds it loaded.
      story.receiveFromOtherBank(account, '100.00', story.wait(1));
      const first = postingOf(story.receiveFromOtherBank(account, '400000.00', story.wait(1)));
      reversedId = first.transactionId;
      story.record(story.ops.reverse(account, first, story.wait(1), 'sent in error'));
      story.receiveFromOtherBank(account, '300000.00', story.wait(1));
      // 600100.00 after the reversal; over 1000000.00 (the window total) had it stayed.
      story.receiveFromOtherBank(account, '300000.00', story.wait(1));
    });
    await apply(run.events);
    expect(await alertsOf(run.customerIds[0])).toEqual([]);
    expect(await flowOf(reversedId)).toEqual([{ reversed: true }]);
  });

  it('ignores a posting whose reversal came first in the batch', async () => {
    const run = tell((story) => {
      const account = story.currentAccount(story.individual(), '1000.00');
      const at = story.wait(1);
      const posting = story.receiveFromOtherBank(account, '600000.00', at);
      const reversal = story.ops.reverse(account, postingOf(posting), story.wait(1), 'sent in error');
      // The reversal overtakes its posting.
      story.record(reversal);
    });
    const [posting, reversal] = run.events.slice(-2);
    await apply([...run.events.slice(0, -2), reversal, posting]);
    expect(await alertsOf(run.customerIds[0])).toEqual([]);
    expect(await flowOf(postingOf(posting).transactionId)).toEqual([{ reversed: true }]);
  });

  it('counts a posting once when core banking sends it again under a new event id', async () => {
    const run = tell((story) => {
      const account = story.currentAccount(story.individual(), '1000.00');
      const twice = story.receiveFromOtherBank(account, '400000.00', story.wait(1));
      story.record({ ...twice, id: randomUUID() });
      // 400000 + 300000 + 250000 = 950000; counted twice, 1350000 would cross the window total.
      story.receiveFromOtherBank(account, '300000.00', story.wait(1));
      story.receiveFromOtherBank(account, '250000.00', story.wait(1));
    });
    await apply(run.events);
    expect(await alertsOf(run.customerIds[0])).toEqual([]);
    const transactionIds = run.events.flatMap((e) =>
      e.type === EventTypes.TransactionPosted ? [postingOf(e).transactionId] : [],
    );
    const [{ rows }] = await harness.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM $schema.flow_entry WHERE transaction_id = ANY($1)`,
      [transactionIds],
    );
    expect(rows).toBe(3);
  });

  /**
   * Three credits an hour apart that together cross the window total (one large-inflow alert), and a small one
   * twenty days on: entering that one trims the window's copy in Redis to its last fourteen days.
   */
  const creditsThenOneLate = () => {
    const run = tell((story) => {
      const account = story.currentAccount(story.individual(), '1000.00');
      for (const amount of ['300000.00', '350000.00', '350000.00']) {
        story.receiveFromOtherBank(account, amount, story.wait(1));
      }
      story.receiveFromOtherBank(account, '100.00', story.wait(20 * 24));
    });
    const [first, second, third, newest] = run.events.slice(-4);
    return { run, before: run.events.slice(0, -4), first, second, third, newest };
  };

  /** The transaction ids in the Redis window of a posting's account (credits). */
  const redisWindowOf = async (posting: SimEvent): Promise<string[]> => {
    const { customerId, accountId } = postingOf(posting);
    const members = await redis.zrange(`${harness.redisPrefix}{${customerId}}:flow:${accountId}:CRDT`, 0, -1);
    return members.map((member) => (JSON.parse(member) as { t: string }).t);
  };

  it('judges a late entry with the batch’s own earlier entries, after a newer one trimmed them from Redis', async () => {
    const { run, before, first, second, third, newest } = creditsThenOneLate();
    // The newest arrives second: the two after it are late, and their window needs the first from Postgres.
    await apply([...before, first, newest, second, third]);
    expect(await alertsOf(run.customerIds[0])).toEqual([
      { kind: AlertKind.LargeInflow, subject_ref: postingOf(first).accountId },
    ]);
    // The late ones were judged from Postgres: Redis keeps the newest's fourteen days, not the history.
    expect(await redisWindowOf(newest)).toEqual([postingOf(newest).transactionId]);
  });

  it('reloads a wiped window for an old posting only as far back as its newest entry keeps, and still judges it', async () => {
    const { run, before, first, second, third, newest } = creditsThenOneLate();
    await apply([...before, first, second, newest]);
    // Redis lost while the third, late, is on its way: its window has no mark.
    await harness.wipeRedis();
    await apply([third]);
    expect(await alertsOf(run.customerIds[0])).toEqual([
      { kind: AlertKind.LargeInflow, subject_ref: postingOf(first).accountId },
    ]);
    expect(await redisWindowOf(newest)).toEqual([postingOf(newest).transactionId]);
  });

  it('raises a reminder planned earlier in the batch when a later event reaches its due date', async () => {
    let depositId = '';
    const run = tell((story) => {
      const customer = story.individual();
      const current = story.currentAccount(customer, '5000.00');
      // Matures 20 days after the start: due from day 13 (lead 7), reached by a credit on day 15.
      depositId = story.maturingProduct(customer, AccountKind.TimeDeposit, '200000.00', 12, 20).accountId;
      story.receiveFromOtherBank(current, '100.00', story.onDay(15, 10));
    });
    await apply(run.events);
    expect(await alertsOf(run.customerIds[0])).toEqual([
      { kind: AlertKind.TimeDepositMaturity, subject_ref: depositId },
    ]);
  });

  it('raises each of a customer’s reminders as later events of the batch reach them, one after the other', async () => {
    const deposits: string[] = [];
    const run = tell((story) => {
      const customer = story.individual();
      const current = story.currentAccount(customer, '5000.00');
      // Due from day 13 and from day 23 (lead 7); credits on days 15, 16 and 25.
      for (const days of [20, 30]) {
        deposits.push(
          story.maturingProduct(customer, AccountKind.TimeDeposit, '100000.00', 12, days).accountId,
        );
      }
      for (const day of [15, 16, 25]) story.receiveFromOtherBank(current, '100.00', story.onDay(day, 10));
    });
    await apply(run.events);
    expect((await alertsOf(run.customerIds[0])).map((a) => a.subject_ref).sort()).toEqual(
      [...deposits].sort(),
    );
  });

  it('judges each customer of a batch by the parameters of their own institution', async () => {
    const creditOf150000 = (story: Story) =>
      story.receiveFromOtherBank(
        story.currentAccount(story.individual(), '1000.00'),
        '150000.00',
        story.wait(1),
      );
    const institutionOf = (events: SimEvent[]) =>
      (events.find((e) => e.type === EventTypes.AccountOpened)!.data as AccountOpenedPayload).institutionId;
    const lowered = tell(creditOf150000);
    let defaults = tell(creditOf150000);
    // Each story opens at an outlet of its own seed's choosing: the other customer's must differ.
    while (institutionOf(defaults.events) === institutionOf(lowered.events)) defaults = tell(creditOf150000);
    await parameters.append(
      harness.dataSource.manager,
      institutionOf(lowered.events),
      {
        ...DEFAULT_ALERT_PARAMETERS,
        largeInflow: { ...DEFAULT_ALERT_PARAMETERS.largeInflow, singleAmount: '100000.00' },
      },
      'test',
    );
    await apply([...lowered.events, ...defaults.events]);
    expect((await alertsOf(lowered.customerIds[0])).map((a) => a.kind)).toEqual([AlertKind.LargeInflow]);
    expect(await alertsOf(defaults.customerIds[0])).toEqual([]);
  });
});
