import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventHeaders, EventTypes, Topics, deadLetterTopicOf } from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, SmallBank, eventually, seedSmallBank, until } from '@crm/testing';
import { carryForward, dailyAverage } from './balances/daily-balance.rule';
import { ANALYTICS_SERVICE } from './service';
import { WarehouseFeed, at, warehouseRows } from './testing/warehouse.fixture';

/**
 * The warehouse on the real stack: core-banking and organisation events through Kafka into the tables,
 * whatever order and however often they arrive.
 */
describe('analytics-service warehouse: corebank.* and crm.assignment → Postgres', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'warehouse' });
  const feed = new WarehouseFeed(harness);
  let bank: SmallBank;
  let c1: { customerId: string; institutionId: string; managerId: string };
  let c2: { customerId: string; institutionId: string };
  const A1 = `A1-${harness.suffix}`;
  const A2 = `A2-${harness.suffix}`;
  const L1 = `L1-${harness.suffix}`;
  const K1 = `K1-${harness.suffix}`;
  const T = (name: string) => `${name}-${harness.suffix}`;

  const dailyBalances = async (holdingId: string) =>
    new Map(
      (
        await harness.query<{ date: string; balance: string }>(
          `SELECT business_date::text AS date, balance::text FROM $schema.daily_balance WHERE holding_id = $1`,
          [holdingId],
        )
      ).map((r) => [r.date, r.balance]),
    );
  const attachedMonths = async () =>
    (
      await harness.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = '$schema.transaction_fact'::regclass ORDER BY 1`,
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    await harness.start();
    bank = await seedSmallBank(feed, 1);
    c1 = { customerId: bank.out1Customers[0], institutionId: bank.OUT1, managerId: bank.M1 };
    c2 = { customerId: bank.out2Customers[0], institutionId: bank.OUT2 };
  }, 120_000);

  afterAll(() => harness.destroy(), 60_000);

  it('is ready once Postgres, Kafka and Redis answer, and serves its metrics', async () => {
    const http = request(harness.app.getHttpServer());
    const ready = await http.get('/health/ready').expect(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['kafka', 'postgres', 'redis']);
    expect((await http.get('/metrics').expect(200)).text).toMatch(/^# HELP /m);
  });

  it('keeps holdings, transaction facts by month and end-of-day balances from the events', async () => {
    await feed.accountOpened(c1, A1, {
      kind: 'current',
      openedOn: '2024-01-10',
      balance: '1000.00',
      time: at('2024-01-10', 10),
    });
    await feed.entry(c1, {
      transactionId: T('T1'),
      accountId: A1,
      bookedAt: at('2024-01-10', 15),
      direction: 'CRDT',
      amount: '500.00',
      balanceAfter: '1500.00',
      otherBankCode: '102331000019',
    });
    await feed.entry(c1, {
      transactionId: T('T2'),
      accountId: A1,
      bookedAt: at('2024-01-20', 9),
      direction: 'DBIT',
      amount: '200.00',
      balanceAfter: '1300.00',
      channel: 'atm',
    });
    await feed.entry(c1, {
      transactionId: T('T3'),
      accountId: A1,
      bookedAt: at('2024-02-05', 11),
      direction: 'CRDT',
      amount: '700.00',
      balanceAfter: '2000.00',
      channel: 'counter',
    });
    await feed.accountOpened(c1, A2, {
      kind: 'time-deposit',
      openedOn: '2024-01-15',
      maturityDate: '2025-01-15',
      balance: '50000.00',
      time: at('2024-01-15', 9, 30),
    });
    await feed.loanDisbursed(c1, L1, '2024-01-12', '60000.00');
    await feed.loanRepaid(c1, L1, T('R1'), at('2024-02-12', 6), '40000.00');
    await feed.cardIssued(c1, K1, '2024-01-05');
    await feed.cardSpend(c1, K1, T('S1'), at('2024-01-18', 20), '300.00');
    await feed.cardStatement(c1, K1, '2024-01-25', '300.00');
    await feed.cardSpend(c1, K1, T('S2'), at('2024-02-02', 12), '120.00');
    await feed.cardPayment(c1, K1, T('P1'), at('2024-02-10', 8), '120.00');
    await feed.cardSpend(c1, K1, T('S3'), at('2024-02-11', 19), '45.50');
    await feed.drained();

    expect(
      await harness.query(
        `SELECT tableoid::regclass::text AS partition, source, transaction_id, business_date::text, direction,
                amount::text, channel, other_bank, balance_after::text
           FROM $schema.transaction_fact ORDER BY booked_at`,
      ),
    ).toEqual([
      fact('2024_01', 'account', T('T1'), '2024-01-10', 'CRDT', '500.00', 'mobile', true, '1500.00'),
      fact('2024_01', 'card', T('S1'), '2024-01-18', 'DBIT', '300.00', 'pos', null, null),
      fact('2024_01', 'account', T('T2'), '2024-01-20', 'DBIT', '200.00', 'atm', false, '1300.00'),
      fact('2024_02', 'card', T('S2'), '2024-02-02', 'DBIT', '120.00', 'pos', null, null),
      fact('2024_02', 'account', T('T3'), '2024-02-05', 'CRDT', '700.00', 'counter', false, '2000.00'),
      fact('2024_02', 'card', T('S3'), '2024-02-11', 'DBIT', '45.50', 'pos', null, null),
    ]);
    expect(Object.fromEntries(await dailyBalances(A1))).toEqual({
      '2024-01-10': '1500.00',
      '2024-01-20': '1300.00',
      '2024-02-05': '2000.00',
    });
    expect(Object.fromEntries(await dailyBalances(A2))).toEqual({ '2024-01-15': '50000.00' });
    expect(Object.fromEntries(await dailyBalances(L1))).toEqual({
      '2024-01-12': '60000.00',
      '2024-02-12': '40000.00',
    });

    expect(
      await harness.query(
        `SELECT account_id, customer_id, institution_id, kind, status, opened_on::text, maturity_date::text,
                balance::text FROM $schema.account ORDER BY account_id`,
      ),
    ).toEqual([
      {
        ...holding(A1, c1),
        kind: 'current',
        status: 'active',
        opened_on: '2024-01-10',
        maturity_date: null,
        balance: '2000.00',
      },
      {
        ...holding(A2, c1),
        kind: 'time-deposit',
        status: 'active',
        opened_on: '2024-01-15',
        maturity_date: '2025-01-15',
        balance: '50000.00',
      },
    ]);
    expect(
      await harness.query(
        `SELECT loan_id, manager_id, principal::text, balance::text, classification, status, disbursed_on::text
           FROM $schema.loan`,
      ),
    ).toEqual([
      {
        loan_id: L1,
        manager_id: c1.managerId,
        principal: '60000.00',
        balance: '40000.00',
        classification: 'normal',
        status: 'active',
        disbursed_on: '2024-01-12',
      },
    ]);
    // Owed: the payment's 120.00 (the January statement and S2 before it included), then S3 after it.
    expect(
      await harness.query(
        `SELECT card_id, credit_limit::text, stated_balance::text, outstanding_balance::text, status FROM $schema.card`,
      ),
    ).toEqual([
      {
        card_id: K1,
        credit_limit: '50000.00',
        stated_balance: '120.00',
        outstanding_balance: '165.50',
        status: 'active',
      },
    ]);

    expect(
      await harness.query(
        `SELECT customer_id, kind, home_institution_id FROM $schema.customer ORDER BY customer_id`,
      ),
    ).toEqual([
      { customer_id: c1.customerId, kind: 'individual', home_institution_id: bank.OUT1 },
      { customer_id: c2.customerId, kind: 'individual', home_institution_id: bank.OUT2 },
    ]);
    expect(
      await harness.query(
        `SELECT institution_id, parent_id, level FROM $schema.institution ORDER BY level, institution_id`,
      ),
    ).toEqual([
      { institution_id: bank.BR, parent_id: bank.HO, level: 'branch' },
      { institution_id: bank.HO, parent_id: null, level: 'head-office' },
      { institution_id: bank.OUT1, parent_id: bank.BR, level: 'outlet' },
      { institution_id: bank.OUT2, parent_id: bank.BR, level: 'outlet' },
    ]);
    expect(
      await harness.query(`SELECT manager_id, institution_id, name FROM $schema.manager ORDER BY manager_id`),
    ).toEqual([
      { manager_id: bank.M1, institution_id: bank.OUT1, name: bank.M1 },
      { manager_id: bank.M2, institution_id: bank.OUT2, name: bank.M2 },
    ]);
    expect(
      await harness.query(
        `SELECT customer_id, version, primary_manager_id FROM $schema.coverage_history ORDER BY customer_id`,
      ),
    ).toEqual([
      { customer_id: c1.customerId, version: 1, primary_manager_id: bank.M1 },
      { customer_id: c2.customerId, version: 2, primary_manager_id: bank.M2 },
    ]);
  }, 120_000);

  it('books a late entry in its own month and restates the end-of-day balances from its date on', async () => {
    // Booked on 15 January, delivered after February's entries.
    await feed.entry(c1, {
      transactionId: T('T-LATE'),
      accountId: A1,
      bookedAt: at('2024-01-15', 10),
      direction: 'DBIT',
      amount: '100.00',
      balanceAfter: '1400.00',
    });
    // Booked on 20 January before that day's last entry: that day still ends on T2's balance.
    await feed.entry(c1, {
      transactionId: T('T-EARLIER'),
      accountId: A1,
      bookedAt: at('2024-01-20', 8),
      direction: 'CRDT',
      amount: '50.00',
      balanceAfter: '1450.00',
    });
    await feed.drained();

    expect(
      await harness.query(
        `SELECT transaction_id FROM $schema.transaction_fact_2024_01 WHERE holding_id = $1 ORDER BY booked_at`,
        [A1],
      ),
    ).toEqual([
      { transaction_id: T('T1') },
      { transaction_id: T('T-LATE') },
      { transaction_id: T('T-EARLIER') },
      { transaction_id: T('T2') },
    ]);
    const endOfDay = await dailyBalances(A1);
    expect(Object.fromEntries(endOfDay)).toEqual({
      '2024-01-10': '1500.00',
      '2024-01-15': '1400.00',
      '2024-01-20': '1300.00',
      '2024-02-05': '2000.00',
    });
    const days = carryForward(endOfDay, '2024-01-13', '2024-02-06');
    expect(days.filter((d) => d.date <= '2024-01-14').map((d) => d.balance)).toEqual(['1500.00', '1500.00']);
    expect(
      new Set(days.filter((d) => d.date >= '2024-01-15' && d.date <= '2024-01-19').map((d) => d.balance)),
    ).toEqual(new Set(['1400.00']));
    expect(
      new Set(days.filter((d) => d.date >= '2024-01-20' && d.date <= '2024-02-04').map((d) => d.balance)),
    ).toEqual(new Set(['1300.00']));
    // January: nothing on 1-9, 1,500 × 5, 1,400 × 5, 1,300 × 12, over 31 days.
    expect(dailyAverage(endOfDay, '2024-01-01', '2024-01-31')).toBe('970.97');
    // The current balance is still the latest entry's.
    expect(
      await harness.query(`SELECT balance::text FROM $schema.account WHERE account_id = $1`, [A1]),
    ).toEqual([{ balance: '2000.00' }]);
  }, 120_000);

  it('attaches a month’s partition on its first fact, once, however many arrive together', async () => {
    expect(await attachedMonths()).toEqual(['transaction_fact_2024_01', 'transaction_fact_2024_02']);
    const A9 = `A9-${harness.suffix}`;
    const april: [typeof c1 | typeof c2, string, string][] = [
      [c1, A1, '2001.00'],
      [c2, A9, '1.00'],
      [c1, A1, '2002.00'],
      [c2, A9, '2.00'],
    ];
    for (const [i, [holder, accountId, balanceAfter]] of april.entries())
      await feed.entry(holder, {
        transactionId: T(`T-APR-${i}`),
        accountId,
        bookedAt: at('2024-04-03', 9, i),
        direction: 'CRDT',
        amount: '1.00',
        balanceAfter,
      });
    await feed.drained();

    expect(await attachedMonths()).toEqual([
      'transaction_fact_2024_01',
      'transaction_fact_2024_02',
      'transaction_fact_2024_04',
    ]);
    expect(
      await harness.query(
        `SELECT pg_get_expr(relpartbound, oid) AS bounds FROM pg_class WHERE oid = '$schema.transaction_fact_2024_04'::regclass`,
      ),
    ).toEqual([{ bounds: "FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')" }]);
    expect(await harness.query(`SELECT count(*)::int AS n FROM $schema.transaction_fact_2024_04`)).toEqual([
      { n: 4 },
    ]);
  }, 120_000);

  it('writes the same rows when core banking delivers every fact again under new event ids', async () => {
    const before = await warehouseRows(harness);
    for (const envelope of [...feed.sent]) await harness.publish({ ...envelope, id: randomUUID() });
    await feed.drained();
    expect(await warehouseRows(harness)).toEqual(before);
  }, 120_000);

  it('dead-letters a malformed event with the reason and goes on with the stream', async () => {
    const dlqTopic = deadLetterTopicOf(`${harness.topicPrefix}${Topics.CorebankTransaction}`);
    await ensureTopics(harness.kafka, [dlqTopic]);
    const dlq = await EventProbe.start(harness.kafka, dlqTopic);
    try {
      const malformed = harness.clock.envelope(EventTypes.TransactionPosted, c1.customerId, {
        ...c1,
        transactionId: T('T-BAD'),
        accountId: A1,
        creditDebitIndicator: 'CRDT',
        amount: { amount: '12,50', currency: 'CNY' },
        bookingDate: at('2024-04-05', 9),
        valueDate: '2024-04-05',
        bankTransactionCode: 'PMNT-RCDT-DMCT',
        channel: 'mobile',
        balanceAfter: { amount: '2014.00', currency: 'CNY' },
      });
      await harness.publish(malformed);
      await feed.entry(c1, {
        transactionId: T('T-AFTER'),
        accountId: A1,
        bookedAt: at('2024-04-05', 10),
        direction: 'CRDT',
        amount: '10.00',
        balanceAfter: '2012.00',
      });

      const dead = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === malformed.id, 60_000);
      expect(dead.headers[EventHeaders.DlqReason]).toMatch(/amount\.amount/);
      await eventually(
        async () =>
          (
            await harness.query(`SELECT 1 FROM $schema.transaction_fact WHERE transaction_id = $1`, [
              T('T-AFTER'),
            ])
          ).length === 1,
      );
      expect(
        await harness.query(`SELECT 1 FROM $schema.transaction_fact WHERE transaction_id = $1`, [T('T-BAD')]),
      ).toEqual([]);
    } finally {
      await dlq.stop();
    }
  }, 120_000);

  it('rebuilds the same rows in a fresh schema from the topics replayed from the beginning', async () => {
    const replay = new ServiceHarness(ANALYTICS_SERVICE, {
      name: 'replay',
      topicPrefix: harness.topicPrefix,
    });
    try {
      await replay.start();
      const applied = await harness.processedCount();
      await until(
        () => replay.processedCount(),
        (n) => n >= applied,
        90_000,
      );
      expect(await replay.processedCount()).toBe(applied);
      expect(await warehouseRows(replay)).toEqual(await warehouseRows(harness));
    } finally {
      await replay.destroy();
    }
  }, 180_000);
});

const fact = (
  month: string,
  source: string,
  transactionId: string,
  businessDate: string,
  direction: string,
  amount: string,
  channel: string,
  otherBank: boolean | null,
  balanceAfter: string | null,
) => ({
  partition: expect.stringMatching(new RegExp(`transaction_fact_${month}$`)),
  source,
  transaction_id: transactionId,
  business_date: businessDate,
  direction,
  amount,
  channel,
  other_bank: otherBank,
  balance_after: balanceAfter,
});

const holding = (accountId: string, holder: { customerId: string; institutionId: string }) => ({
  account_id: accountId,
  customer_id: holder.customerId,
  institution_id: holder.institutionId,
});
