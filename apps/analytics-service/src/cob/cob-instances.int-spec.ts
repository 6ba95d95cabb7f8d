import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import { queueConnectionOf } from '@crm/persistence';
import { ServiceHarness } from '@crm/service-harness';
import { SmallBank, answers, freePort, seedSmallBank, serviceTestEnv, testStack, until } from '@crm/testing';
import { DEFAULT_CONTRIBUTION_SPREADS } from '../indicators/contribution.rule';
import { DEFAULT_VALUE_TIER_THRESHOLDS } from '../profiles/value-tier.rule';
import { ANALYTICS_SERVICE } from '../service';
import { BankStory } from '../testing/bank-story.fixture';
import {
  MID_MARCH,
  NEXT_QUARTER,
  QUARTER_END,
  asText,
  headOffice,
  runToEnd,
  tellQuarter,
} from '../testing/cob.fixture';
import { referenceIndicators, referenceProfiles } from '../testing/cob-reference';
import { WarehouseFeed } from '../testing/warehouse.fixture';
import { COB_QUEUE, CobJob } from './cob.queue';
import { CobWorker } from './cob.worker';

const REPO_ROOT = resolve(__dirname, '../../../..');
const SHARDS = 2;
const PROFILE_COLUMNS = [
  'customer_id',
  'value_tier',
  'lifecycle_stage',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'rfm_segment',
  'changed',
];

type Run = Record<string, unknown> & {
  runId: string;
  status: string;
  shardProgress: { shard: number; stage: string; indicatedBy: string | null; profiledBy: string | null }[];
};

/**
 * The close of business as a queue of shard jobs that every instance works from, on the real stack: two
 * instances share a run's shards and reach the figures of one; a start twice hands out one set of jobs; a
 * job that fails is retried and its run completes; a backfill runs its dates in order; and an instance
 * killed with SIGKILL in the middle of a shard has its job taken up by another, the figures unharmed.
 */
describe('analytics-service close of business shared by instances', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, {
    name: 'cobq',
    // A killed worker's job is taken up again within seconds, not the production half-minute.
    env: { COB_SHARDS: String(SHARDS), COB_JOB_LOCK_SECONDS: '2' },
  });
  const feed = new WarehouseFeed(harness);
  const story = new BankStory(feed);
  let bank: SmallBank;
  let queue: Queue;
  let db: Client;

  const http = () => request(harness.app.getHttpServer());
  const indicatorColumns = () =>
    Object.keys([...referenceIndicators(story, QUARTER_END, DEFAULT_CONTRIBUTION_SPREADS).values()][0]);
  const expectedIndicators = (date: string) =>
    new Map(
      [...referenceIndicators(story, date, DEFAULT_CONTRIBUTION_SPREADS)].map(([id, row]) => [
        id,
        asText(row),
      ]),
    );
  const expectedProfiles = (date: string) =>
    new Map(
      [
        ...referenceProfiles(
          referenceIndicators(story, date, DEFAULT_CONTRIBUTION_SPREADS),
          date,
          DEFAULT_VALUE_TIER_THRESHOLDS,
        ),
      ].map(([id, row]) => [id, asText(row)]),
    );
  /** The date's stored figures, read through the test's own connection (instances come and go). */
  const stored = async (date: string) => {
    const rows = async (table: string, columns: string[]) => {
      const result = await db.query<Record<string, string | null>>(
        `SELECT ${columns.map((c) => `${c}::text AS ${c}`).join(', ')} FROM "${harness.schema}".${table}
          WHERE business_date = $1 ORDER BY customer_id`,
        [date],
      );
      return new Map(result.rows.map((r) => [r.customer_id!, r]));
    };
    return {
      indicators: await rows('customer_indicator', indicatorColumns()),
      profiles: await rows('customer_profile', PROFILE_COLUMNS),
    };
  };
  const withoutChanged = (profiles: Map<string, Record<string, string | null>>) =>
    new Map([...profiles].map(([id, { changed: _changed, ...profile }]) => [id, profile]));

  const start = async (businessDate: string, base = http()) =>
    (
      await base
        .post('/api/v1/cob-runs')
        .set('authorization', headOffice(bank))
        .send({ businessDate, shards: SHARDS })
        .expect(202)
    ).body as Run;
  const runRow = async (runId: string) =>
    (await db.query(`SELECT status, error FROM "${harness.schema}".cob_run WHERE run_id = $1`, [runId]))
      .rows[0];
  const ended = async (runId: string): Promise<Run> => {
    const row = await until(
      () => runRow(runId),
      (r) => r.status !== 'running',
      120_000,
    );
    if (row.status !== 'succeeded') throw new Error(`run ${runId} ended ${row.status}: ${row.error}`);
    return (await http().get(`/api/v1/cob-runs/${runId}`).set('authorization', headOffice(bank)).expect(200))
      .body as Run;
  };
  const jobsOf = async (runId: string, states: ('active' | 'waiting' | 'delayed' | 'completed')[]) =>
    (await queue.getJobs(states)).filter((job: Job) => job.data.runId === runId);

  /**
   * Holds every shard's indicators in the middle of their transaction (after the shard's row lock, at the
   * first read of the balances), so the test decides when they go on.
   */
  const holdShards = async () => {
    const holder = new Client({ connectionString: testStack.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE "${harness.schema}".daily_balance IN ACCESS EXCLUSIVE MODE`);
    return async () => {
      await holder.query('ROLLBACK');
      await holder.end();
    };
  };

  beforeAll(async () => {
    await harness.start();
    db = new Client({ connectionString: testStack.databaseUrl });
    await db.connect();
    queue = new Queue(COB_QUEUE, {
      connection: queueConnectionOf(testStack.redisUrl),
      prefix: `${harness.redisPrefix}bull`,
    });
    bank = await seedSmallBank(feed, 0);
    await tellQuarter(story, bank);
  }, 180_000);

  afterAll(async () => {
    await queue?.close();
    await db?.end();
    await harness.destroy();
  }, 60_000);

  it('shares a run’s shards between two instances, to the figures one instance computes', async () => {
    // COB_SCHEDULE is off by default: runs start through the API only.
    expect(await queue.getJobSchedulers()).toEqual([]);
    const alone = await runToEnd(harness, bank, QUARTER_END, SHARDS);
    const one = await stored(QUARTER_END);
    expect(one.indicators).toEqual(expectedIndicators(QUARTER_END));
    expect(withoutChanged(one.profiles)).toEqual(expectedProfiles(QUARTER_END));
    const soloWorker = harness.app.get(CobWorker).name;
    expect((alone as unknown as Run).shardProgress.map((s) => s.indicatedBy)).toEqual([
      soloWorker,
      soloWorker,
    ]);

    const second = await harness.start();
    const workers = harness.instances.map((app) => app.get(CobWorker).name);
    const release = await holdShards();
    const run = await start(QUARTER_END);
    // A second start, on the other instance, joins the run and hands out no more jobs.
    expect((await start(QUARTER_END, request(second.getHttpServer()))).runId).toBe(run.runId);
    // Each instance takes one shard and waits in it, so neither can take both.
    const active = await until(
      () => jobsOf(run.runId, ['active']),
      (jobs) => jobs.length === SHARDS,
    );
    expect(new Set(active.map((job) => job.processedBy))).toEqual(new Set(workers));
    expect(await jobsOf(run.runId, ['active', 'waiting', 'delayed', 'completed'])).toHaveLength(SHARDS);
    const otherShards = await http()
      .post('/api/v1/cob-runs')
      .set('authorization', headOffice(bank))
      .send({ businessDate: QUARTER_END, shards: SHARDS + 1 })
      .expect(409);
    expect(otherShards.body.code).toBe('COB_RUN_SHARDS_DIFFER');
    await release();

    const shared = await ended(run.runId);
    expect(new Set(shared.shardProgress.map((s) => s.indicatedBy))).toEqual(new Set(workers));
    expect(shared).toMatchObject({
      status: 'succeeded',
      phase: 'done',
      progress: {
        shards: SHARDS,
        indicated: SHARDS,
        profiled: SHARDS,
        published: SHARDS,
        customers: story.customers.size,
      },
      published: 0,
    });
    for (const phase of ['indicators', 'profiles', 'publishing'])
      expect((shared.phaseMs as Record<string, number>)[phase]).toBeGreaterThanOrEqual(0);
    expect(await stored(QUARTER_END)).toEqual(one);
  });

  it('retries a job that failed, and the run completes', async () => {
    // The balances table gone for a moment: every shard's first try fails, as on a database hiccup.
    await db.query(`ALTER TABLE "${harness.schema}".daily_balance RENAME TO daily_balance_away`);
    const run = await start(NEXT_QUARTER);
    try {
      await until(
        () => jobsOf(run.runId, ['delayed']),
        (jobs) => jobs.length === SHARDS && jobs.every((job) => job.attemptsMade >= 1),
      );
    } finally {
      await db.query(`ALTER TABLE "${harness.schema}".daily_balance_away RENAME TO daily_balance`);
    }
    const done = await ended(run.runId);
    expect(done.status).toBe('succeeded');
    const shardJobs = (await jobsOf(run.runId, ['completed'])).filter(
      (job) => job.name === CobJob.Indicators,
    );
    expect(shardJobs).toHaveLength(SHARDS);
    for (const job of shardJobs) expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    const figures = await stored(NEXT_QUARTER);
    expect(figures.indicators).toEqual(expectedIndicators(NEXT_QUARTER));
    expect(withoutChanged(figures.profiles)).toEqual(expectedProfiles(NEXT_QUARTER));
  });

  it('fails the run when a job has had its tries, and the date then runs again', async () => {
    const date = '2024-03-27';
    await db.query(`ALTER TABLE "${harness.schema}".daily_balance RENAME TO daily_balance_away`);
    let failed: { status: string; error: string };
    try {
      const run = await start(date);
      // Three tries, 5 s and 10 s apart.
      failed = await until(
        () => runRow(run.runId),
        (r) => r.status !== 'running',
        40_000,
      );
    } finally {
      await db.query(`ALTER TABLE "${harness.schema}".daily_balance_away RENAME TO daily_balance`);
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^indicators job indicators\.2024-03-27\..+: .*daily_balance/);
    const again = await start(date);
    expect((await ended(again.runId)).status).toBe('succeeded');
    expect((await stored(date)).indicators).toEqual(expectedIndicators(date));
  });

  it('backfills a range of dates one after the other, each compared with the one before', async () => {
    const dates = ['2024-03-28', '2024-03-29', '2024-03-30'];
    const response = await http()
      .post('/api/v1/cob-runs/backfills')
      .set('authorization', headOffice(bank))
      .send({ from: dates[0], to: dates[2] })
      .expect(202);
    expect(response.body).toMatchObject({ from: dates[0], to: dates[2], dates: 3, shards: SHARDS });
    const listed = async () =>
      (
        await http()
          .get('/api/v1/cob-runs')
          .query({ from: dates[0], to: dates[2] })
          .set('authorization', headOffice(bank))
          .expect(200)
      ).body.runs as { businessDate: string; status: string; previousBusinessDate: string | null }[];
    const runs = await until(
      listed,
      (r) => r.length === 3 && r.every((x) => x.status === 'succeeded'),
      120_000,
    );
    expect(runs.map((r) => r.businessDate)).toEqual([dates[2], dates[1], dates[0]]);
    // Each date's run began once the one before had succeeded.
    expect(runs.slice(0, 2).map((r) => r.previousBusinessDate)).toEqual([dates[1], dates[0]]);
    expect((await stored(dates[1])).indicators).toEqual(expectedIndicators(dates[1]));

    const refused = await http()
      .post('/api/v1/cob-runs/backfills')
      .set('authorization', headOffice(bank))
      .send({ from: dates[2], to: dates[0] })
      .expect(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
  });

  it('takes up the shard of an instance killed in the middle of it, and the run completes', async () => {
    await harness.stop();
    const child = await spawnInstance();
    try {
      const release = await holdShards();
      const run = await start(MID_MARCH, request(`http://127.0.0.1:${child.port}`));
      const [held] = await until(
        () => jobsOf(run.runId, ['active']),
        (jobs) => jobs.length === 1,
      );
      expect(held.processedBy).toMatch(new RegExp(`/${child.process.pid}/`));
      child.process.kill('SIGKILL');
      await new Promise((done) => child.process.once('exit', done));
      await release();

      await harness.start();
      const survivor = harness.app.get(CobWorker).name;
      const done = await ended(run.runId);
      expect(done.shardProgress.map((s) => [s.stage, s.indicatedBy])).toEqual([
        ['published', survivor],
        ['published', survivor],
      ]);
      const retried = await queue.getJob(held.id!);
      expect(retried?.stalledCounter).toBe(1);
      expect(await retried?.getState()).toBe('completed');
      const figures = await stored(MID_MARCH);
      expect(figures.indicators).toEqual(expectedIndicators(MID_MARCH));
      expect(withoutChanged(figures.profiles)).toEqual(expectedProfiles(MID_MARCH));
    } finally {
      child.process.kill('SIGKILL');
    }
  });

  /** An instance as a process of its own (main.ts on the harness's schema, topics and Redis prefix). */
  async function spawnInstance(): Promise<{ process: ChildProcess; port: number }> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', './tools/register.js', 'apps/analytics-service/src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...serviceTestEnv(harness),
          COB_SHARDS: String(SHARDS),
          COB_JOB_LOCK_SECONDS: '2',
          LOG_LEVEL: 'warn',
          PORT: String(port),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const live = await until(
      () => answers(`http://127.0.0.1:${port}/health/live`),
      (up) => up || child.exitCode !== null,
      90_000,
    );
    if (!live) throw new Error(`the second instance did not start (exit ${child.exitCode})`);
    return { process: child, port };
  }
});
