import request from 'supertest';
import { monthOf } from '@crm/calendar';
import { EventHeaders, Topics, deadLetterTopicOf } from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { EventProbe, eventually } from '@crm/testing';
import { ANALYTICS_SERVICE } from '../service';
import { WarehouseFeed, at, calendar } from '../testing/warehouse.fixture';

/** Detaching old months of transaction facts through the API, as operations do, and what it leaves. */
describe('analytics-service month partitions: detach on request', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'partitions' });
  const feed = new WarehouseFeed(harness);
  const holder = { customerId: `C-${harness.suffix}`, institutionId: `OUT-${harness.suffix}` };
  const accountId = `A-${harness.suffix}`;
  const bearer = (role: Role) =>
    `Bearer ${testToken({ roles: [role], inst: `HO-${harness.suffix}`, mgr: `M-${harness.suffix}` })}`;
  let http: ReturnType<typeof request>;

  const credit = (transactionId: string, bookedAt: string) =>
    feed.entry(holder, {
      transactionId: `${transactionId}-${harness.suffix}`,
      accountId,
      bookedAt,
      direction: 'CRDT',
      amount: '10.00',
      balanceAfter: '10.00',
    });
  const factsIn = async (table: string) =>
    (await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.${table}`))[0].n;

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    await credit('T-2023-01', at('2023-01-31', 23, 30));
    await credit('T-2023-02', at('2023-02-01', 0, 15));
    await credit('T-2024-01', at('2024-01-15', 10));
    await feed.drained();
  }, 120_000);

  afterAll(() => harness.destroy(), 60_000);

  it('lists the months that have facts, each attached', async () => {
    const response = await http
      .get('/api/v1/warehouse/partitions')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .expect(200);
    expect(response.body.partitions).toEqual(
      ['2023-01', '2023-02', '2024-01'].map((month) => ({
        table: 'transaction_fact',
        month,
        name: `transaction_fact_${month.replace('-', '_')}`,
        attached: true,
      })),
    );
  });

  it('is for head office administrators only', async () => {
    await http.get('/api/v1/warehouse/partitions').expect(401);
    for (const role of [Role.InstitutionHead, Role.Analyst, Role.RelationshipManager, Role.System]) {
      await http.get('/api/v1/warehouse/partitions').set('authorization', bearer(role)).expect(403);
      await http
        .post('/api/v1/warehouse/partitions/detach')
        .set('authorization', bearer(role))
        .send({ before: '2023-03' })
        .expect(403);
    }
    expect(await factsIn('transaction_fact')).toBe(3);
  });

  it('refuses a month that is not one, naming the field', async () => {
    const response = await http
      .post('/api/v1/warehouse/partitions/detach')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .send({ before: '2023-13' })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'before' })]);
  });

  it('keeps the retained months attached, whatever is asked', async () => {
    const response = await http
      .post('/api/v1/warehouse/partitions/detach')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .send({ before: monthOf(calendar.today()) })
      .expect(422);
    expect(response.body.code).toBe('MONTH_RETAINED');
    expect(await factsIn('transaction_fact')).toBe(3);
  });

  it('detaches the months before the one named: their tables stay, out of the facts, and it is audited', async () => {
    const response = await http
      .post('/api/v1/warehouse/partitions/detach')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .send({ before: '2024-01' })
      .expect(200);
    expect(response.body.detached.map((p: { name: string }) => p.name)).toEqual([
      'transaction_fact_2023_01',
      'transaction_fact_2023_02',
    ]);

    expect(await factsIn('transaction_fact')).toBe(1);
    expect(await factsIn('transaction_fact_2023_01')).toBe(1);
    const listed = await http
      .get('/api/v1/warehouse/partitions')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .expect(200);
    expect(
      listed.body.partitions.map((p: { month: string; attached: boolean }) => [p.month, p.attached]),
    ).toEqual([
      ['2023-01', false],
      ['2023-02', false],
      ['2024-01', true],
    ]);
    expect(
      await harness.query(`SELECT action, details FROM $schema.audit_log WHERE resource_type = 'partition'`),
    ).toEqual([
      {
        action: 'warehouse.partitions.detach',
        details: { before: '2024-01', detached: ['transaction_fact_2023_01', 'transaction_fact_2023_02'] },
      },
    ]);

    // Asked again, nothing is left to detach.
    const again = await http
      .post('/api/v1/warehouse/partitions/detach')
      .set('authorization', bearer(Role.HeadOfficeAdmin))
      .send({ before: '2024-01' })
      .expect(200);
    expect(again.body.detached).toEqual([]);
  });

  it('refuses a close of business, or a backfill, that would read facts of a detached month', async () => {
    const admin = bearer(Role.HeadOfficeAdmin);
    // 2023-03-31 reads facts from 2022-10-03 on (the 90 days before the last 90): January and February included.
    const run = await http
      .post('/api/v1/cob-runs')
      .set('authorization', admin)
      .send({ businessDate: '2023-03-31' })
      .expect(422);
    expect(run.body.code).toBe('MONTH_DETACHED');
    expect(run.body.detail).toContain('transaction_fact_2023_01 is detached');
    const backfill = await http
      .post('/api/v1/cob-runs/backfills')
      .set('authorization', admin)
      .send({ from: '2023-02-27', to: '2023-03-02' })
      .expect(422);
    expect(backfill.body.code).toBe('MONTH_DETACHED');
    const runs = await http
      .get('/api/v1/cob-runs')
      .query({ from: '2023-02-01', to: '2023-03-31' })
      .set('authorization', admin)
      .expect(200);
    expect(runs.body.runs).toEqual([]);
  });

  it('dead-letters a late fact of a detached month, and goes on with the stream', async () => {
    const dlqTopic = deadLetterTopicOf(`${harness.topicPrefix}${Topics.CorebankTransaction}`);
    await ensureTopics(harness.kafka, [dlqTopic]);
    const dlq = await EventProbe.start(harness.kafka, dlqTopic);
    try {
      const late = await credit('T-2023-01-LATE', at('2023-01-20', 9));
      await credit('T-2024-01-NEXT', at('2024-01-16', 9));
      const dead = await dlq.waitFor((m) => m.headers[EventHeaders.Id] === late.id, 60_000);
      expect(dead.headers[EventHeaders.DlqReason]).toContain('transaction_fact_2023_01 is detached');
      await eventually(async () => (await factsIn('transaction_fact')) === 2);
      expect(await factsIn('transaction_fact_2023_01')).toBe(1);
    } finally {
      await dlq.stop();
    }
  }, 120_000);
});
