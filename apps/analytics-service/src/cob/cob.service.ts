import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { BusinessCalendar, MS_PER_MINUTE, addDays, daysBetween } from '@crm/calendar';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { AnalyticsServiceConfig } from '../app.config';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import { IndicatorSnapshotRepository } from '../indicators/indicator-snapshot.repository';
import { periodsOf } from '../indicators/indicator.rule';
import { AnalyticsParametersService } from '../parameters/analytics-parameters.service';
import { MonthlyTables } from '../partitions/month-partition.rule';
import { PartitionsService } from '../partitions/partitions.service';
import { ProfilePublisher } from '../profiles/profile-publisher.service';
import { ProfileSnapshotRepository } from '../profiles/profile-snapshot.repository';
import { CobRun, CobRunRepository, RunPhase, RunProgress, RunStatus, ShardStage } from './cob-run.repository';
import { scheduledBusinessDate } from './cob-schedule.rule';
import type { BackfillDto, CobRunDto, CobRunSummaryDto } from './cob.dto';
import { BackfillJob, CobJob, CobQueue, RunJob, ShardJob } from './cob.queue';

const elapsedSince = (start: number) => Math.round(performance.now() - start);

/** How often a backfill looks whether its date's run has ended. */
const BACKFILL_POLL_MS = 2_000;

/**
 * The close of business (日终批处理) for a business date, as jobs on a queue every instance works from:
 *
 * 1. one job per shard writes the shard's indicators (any instance, any order);
 * 2. the shard that completes the set computes the bank-wide RFM breakpoints, and hands out one job per
 *    shard for the profiles (compared with the previous run's date);
 * 3. the shard that completes those hands out one job per shard for the publication of its changed profiles;
 *    the shard that completes those ends the run.
 *
 * Each step is idempotent: a shard's row lock and stage make a duplicate or retried job a no-op, and its
 * figures are replaced (DELETE + INSERT), so a job run again after its worker died changes nothing. A run
 * is idempotent per date: running a date again replaces its figures with the same ones and queues only
 * profiles that came out different. A past date can be run (backfill): figures as of that date's end.
 */
@Injectable()
export class CobService {
  private readonly logger = new Logger(CobService.name);

  constructor(
    private readonly runs: CobRunRepository,
    private readonly indicators: IndicatorSnapshotRepository,
    private readonly profiles: ProfileSnapshotRepository,
    private readonly publisher: ProfilePublisher,
    private readonly parameters: AnalyticsParametersService,
    private readonly partitions: PartitionsService,
    private readonly queue: CobQueue,
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly config: AnalyticsServiceConfig,
    private readonly audit: AuditLogWriter,
  ) {}

  /**
   * Starts the run of a date (audited), or joins the date's running one; returns it at once, the work goes
   * on in the queue's workers. Joining hands out again what the run still needs (jobs lost with Redis).
   */
  async start(user: AuthenticatedUser, businessDate: string, shards?: number): Promise<CobRunDto> {
    this.refuseFuture(businessDate);
    const { run, opened } = await this.open(businessDate, shards ?? this.config.COB_SHARDS, user.userId);
    if (shards !== undefined && run.shards !== shards)
      throw new AnalyticsException(
        AnalyticsExceptionCode.RunShardsDiffer,
        `the running close of business of ${businessDate} has ${run.shards} shards, not ${shards}`,
      );
    await this.audit.record({
      actor: user,
      action: opened ? 'cob.run.start' : 'cob.run.join',
      resourceType: 'cob-run',
      resourceId: run.runId,
      outcome: 'allowed',
      details: { businessDate, shards: run.shards },
    });
    await this.dispatch(run);
    return this.find(run.runId);
  }

  /** The schedule fired at `firedAt`: starts (or joins) the run of the date it closes. */
  async startScheduled(firedAt: number): Promise<void> {
    const businessDate = scheduledBusinessDate(firedAt, this.config.COB_SCHEDULE_CLOSES, this.calendar);
    const { run, opened } = await this.open(businessDate, this.config.COB_SHARDS, 'scheduler');
    await this.dispatch(run);
    this.logger.log({ msg: 'scheduled close of business', businessDate, runId: run.runId, opened });
  }

  /**
   * Runs every date from `from` to `to`, one after the other (each date's run compares with the one
   * before), in a job of the queue; audited.
   */
  async startBackfill(
    user: AuthenticatedUser,
    from: string,
    to: string,
    shards?: number,
  ): Promise<BackfillDto> {
    this.refuseFuture(to);
    await this.partitions.assertFactsAttached(this.dataSource.manager, periodsOf(from).earliest, to);
    const backfill = { from, to, shards: shards ?? this.config.COB_SHARDS, requestedBy: user.userId };
    await this.queue.addBackfill({ ...backfill, businessDate: from, runId: null });
    await this.audit.record({
      actor: user,
      action: 'cob.backfill.start',
      resourceType: 'cob-backfill',
      resourceId: `${from}..${to}`,
      outcome: 'allowed',
      details: backfill,
    });
    return { ...backfill, dates: daysBetween(from, to) + 1 };
  }

  /**
   * One step of a backfill: starts its date's run, or, that run ended, goes on to the next date. The
   * backfill's state for its next step, or null when its last date's run has succeeded. A run that failed
   * stops the backfill (its own jobs had their retries).
   */
  async stepBackfill(backfill: BackfillJob): Promise<{ job: BackfillJob; afterMs: number } | null> {
    let job = backfill;
    if (job.runId) {
      const run = await this.runs.find(job.runId);
      if (run?.status === RunStatus.Running) return { job, afterMs: BACKFILL_POLL_MS };
      if (run?.status !== RunStatus.Succeeded)
        throw new UnrecoverableError(
          `backfill ${job.from}..${job.to} stopped: the run of ${job.businessDate} ended ${run?.status}: ${run?.error}`,
        );
      if (job.businessDate >= job.to) return null;
      job = { ...job, businessDate: addDays(job.businessDate, 1), runId: null };
    }
    const { run } = await this.open(job.businessDate, job.shards, job.requestedBy);
    await this.dispatch(run);
    return { job: { ...job, runId: run.runId }, afterMs: BACKFILL_POLL_MS };
  }

  /** A shard's indicators; the shard completing the set moves the run to its profiles. */
  async runIndicators(job: ShardJob, worker: string): Promise<void> {
    const run = await this.running(job);
    if (!run) return;
    if (run.phase === RunPhase.Indicators) await this.writeIndicators(run, job.shard, worker);
    const claimed = await this.dataSource.transaction(async (tx) => {
      if (!(await this.runs.completesPhase(tx, run.runId, RunPhase.Indicators, ShardStage.Pending)))
        return false;
      await this.profiles.analyzeIndicators(tx, run.businessDate);
      await this.runs.enterProfiles(tx, run.runId, await this.profiles.breakpoints(tx, run.businessDate));
      return true;
    });
    // The claimant hands out the profiles; so does a duplicate of a shard job (its claimant may have died).
    if (claimed || run.phase !== RunPhase.Indicators) await this.dispatch(await this.current(run));
  }

  /** A shard's profiles; the shard completing the set moves the run to its publication. */
  async runProfiles(job: ShardJob, worker: string): Promise<void> {
    const run = await this.running(job);
    if (!run || run.phase === RunPhase.Indicators) return;
    if (run.phase === RunPhase.Profiles) await this.writeProfiles(run, job.shard, worker);
    const claimed = await this.dataSource.transaction(async (tx) => {
      if (!(await this.runs.completesPhase(tx, run.runId, RunPhase.Profiles, ShardStage.Indicated)))
        return false;
      await this.profiles.analyzeForPublication(tx, run.businessDate);
      await this.runs.enterPublishing(tx, run.runId);
      return true;
    });
    if (claimed || run.phase !== RunPhase.Profiles) await this.dispatch(await this.current(run));
  }

  /** A shard's changed profiles onto Kafka; the shard completing the set ends the run. */
  async publish(job: ShardJob, worker: string): Promise<void> {
    const run = await this.running(job);
    if (run?.phase !== RunPhase.Publishing) return;
    // A job of a version that published the whole run at once: hand out the run's shard jobs instead.
    if (job.shard === undefined) return this.dispatch(run);
    await this.runs.heartbeat(run.runId);
    const start = performance.now();
    const sent = await this.publisher.publishShard(run, job.shard, worker);
    if (sent > 0)
      await this.logShard(run, job.shard, 'publication', { sent, ms: elapsedSince(start) }, worker);
    const ended = await this.dataSource.transaction(async (tx) => {
      if (!(await this.runs.completesPhase(tx, run.runId, RunPhase.Publishing, ShardStage.Profiled)))
        return false;
      await this.runs.succeed(tx, run.runId);
      return true;
    });
    if (ended) {
      const { customers, changed, published } = await this.current(run);
      this.logger.log({
        msg: 'close of business done',
        runId: run.runId,
        businessDate: run.businessDate,
        customers,
        changed,
        published,
      });
    }
  }

  /** A job of the run will not be tried again: the run has failed (its date can be run again). */
  async failRun(runId: string, error: string): Promise<void> {
    await this.runs.fail(runId, error);
  }

  /** A run and its shards' progress. */
  async find(runId: string): Promise<CobRunDto> {
    const run = await this.runs.find(runId);
    if (!run)
      throw new AnalyticsException(AnalyticsExceptionCode.RunNotFound, `no close-of-business run ${runId}`);
    const progress = await this.runs.progressOf([runId]);
    return { ...this.summaryOf(run, progress), shardProgress: await this.runs.shardsOf(runId) };
  }

  /** The runs of business dates from `from` to `to`, latest date first, a date's latest run first. */
  async list(from: string, to: string): Promise<CobRunSummaryDto[]> {
    const runs = await this.runs.between(from, to);
    const progress = await this.runs.progressOf(runs.map((run) => run.runId));
    return runs.map((run) => this.summaryOf(run, progress));
  }

  private summaryOf(run: CobRun, progressOfRuns: Map<string, RunProgress>): CobRunSummaryDto {
    const progress = progressOfRuns.get(run.runId) ?? {
      indicated: 0,
      profiled: 0,
      published: 0,
      customers: 0,
    };
    const now = new Date();
    const between = (start: Date | null, end: Date | null) =>
      start === null ? null : (end ?? now).getTime() - start.getTime();
    const { profilesStartedAt: profiles, publishingStartedAt: publishing, finishedAt: finished } = run;
    return {
      ...run,
      startedAt: run.startedAt.toISOString(),
      profilesStartedAt: profiles?.toISOString() ?? null,
      publishingStartedAt: publishing?.toISOString() ?? null,
      publishFrom: run.publishFrom?.toISOString() ?? null,
      finishedAt: finished?.toISOString() ?? null,
      progress: { shards: run.shards, ...progress },
      phaseMs: {
        indicators: between(run.startedAt, profiles ?? finished),
        profiles: between(profiles, publishing ?? finished),
        publishing: between(publishing, finished),
      },
    };
  }

  /** The date's running run, or a new one with the parameters in force and its month partitions attached. */
  private async open(
    businessDate: string,
    shards: number,
    requestedBy: string,
  ): Promise<{ run: CobRun; opened: boolean }> {
    const staleBefore = new Date(Date.now() - this.config.COB_RUN_STALE_MINUTES * MS_PER_MINUTE);
    const parameters = await this.parameters.inForce();
    return this.dataSource.transaction(async (tx) => {
      await this.runs.abandonStale(tx, businessDate, staleBefore);
      const running = await this.runs.running(businessDate, tx);
      if (running) return { run: running, opened: false };
      await this.partitions.assertFactsAttached(tx, periodsOf(businessDate).earliest, businessDate);
      for (const table of [MonthlyTables.CustomerIndicator, MonthlyTables.CustomerProfile])
        await this.partitions.ensureForRun(tx, table, businessDate);
      const runId = randomUUID();
      const previousBusinessDate = await this.runs.previousDate(tx, businessDate);
      const candidate = { runId, businessDate, shards, requestedBy, parameters, previousBusinessDate };
      const opened = await this.runs.open(tx, candidate);
      const run = await this.runs.running(businessDate, tx);
      // Another request opened it first (the unique running run per date): join that one.
      return { run: run!, opened: opened && run!.runId === runId };
    });
  }

  /** Hands out the jobs the run's phase still needs; a job already queued is not added again. */
  private async dispatch(run: CobRun): Promise<void> {
    const job = { runId: run.runId, businessDate: run.businessDate };
    if (run.status !== RunStatus.Running) return;
    if (run.phase === RunPhase.Indicators)
      await this.queue.addShards(
        CobJob.Indicators,
        job,
        await this.runs.shardsAt(run.runId, ShardStage.Pending),
      );
    else if (run.phase === RunPhase.Profiles)
      await this.queue.addShards(
        CobJob.Profiles,
        job,
        await this.runs.shardsAt(run.runId, ShardStage.Indicated),
      );
    else if (run.phase === RunPhase.Publishing)
      await this.queue.addShards(
        CobJob.Publish,
        job,
        await this.runs.shardsAt(run.runId, ShardStage.Profiled),
      );
  }

  /** The job's run while it runs; a job of a run that ended (or was abandoned) has nothing to do. */
  private async running(job: RunJob): Promise<CobRun | null> {
    const run = await this.runs.find(job.runId);
    if (run?.status === RunStatus.Running) return run;
    this.logger.log({ msg: 'close-of-business job of an ended run skipped', ...job, status: run?.status });
    return null;
  }

  private async current(run: CobRun): Promise<CobRun> {
    return (await this.runs.find(run.runId))!;
  }

  private async writeIndicators(run: CobRun, shard: number, worker: string): Promise<void> {
    await this.runs.heartbeat(run.runId);
    const periods = periodsOf(run.businessDate);
    const endOfDay = new Date(this.calendar.startOf(addDays(run.businessDate, 1)));
    const written = await this.dataSource.transaction(async (tx) => {
      if ((await this.runs.lockShard(tx, run.runId, shard)) !== ShardStage.Pending) return null;
      const start = performance.now();
      const customers = await this.indicators.write(tx, {
        periods,
        endOfDay,
        spreads: run.parameters.contributionSpreads,
        shard: { shard, shards: run.shards },
      });
      const ms = elapsedSince(start);
      await this.runs.shardIndicated(tx, run.runId, shard, customers, ms, worker);
      return { customers, ms };
    });
    if (written) await this.logShard(run, shard, 'indicators', written, worker);
  }

  private async writeProfiles(run: CobRun, shard: number, worker: string): Promise<void> {
    await this.runs.heartbeat(run.runId);
    const written = await this.dataSource.transaction(async (tx) => {
      if ((await this.runs.lockShard(tx, run.runId, shard)) !== ShardStage.Indicated) return null;
      const start = performance.now();
      const changed = await this.profiles.write(tx, {
        businessDate: run.businessDate,
        previousDate: run.previousBusinessDate,
        thresholds: run.parameters.valueTiers,
        breakpoints: run.rfmBreakpoints!,
        potentialTags: run.parameters.potentialTags,
        churn: run.parameters.churn,
        // One instant for the run's profiles, whichever worker writes a shard.
        computedAt: run.profilesStartedAt!,
        shard: { shard, shards: run.shards },
      });
      const ms = elapsedSince(start);
      await this.runs.shardProfiled(tx, run.runId, shard, changed, ms, worker);
      return { changed, ms };
    });
    if (written) await this.logShard(run, shard, 'profiles', written, worker);
  }

  /** A progress line per shard done: what it wrote, and how far the run's phase is. */
  private async logShard(
    run: CobRun,
    shard: number,
    phase: 'indicators' | 'profiles' | 'publication',
    written: Record<string, number>,
    worker: string,
  ): Promise<void> {
    const progress = (await this.runs.progressOf([run.runId])).get(run.runId)!;
    const done = {
      indicators: progress.indicated,
      profiles: progress.profiled,
      publication: progress.published,
    }[phase];
    this.logger.log({
      msg: `close of business: shard ${phase} written`,
      runId: run.runId,
      businessDate: run.businessDate,
      shard,
      ...written,
      [phase]: `${done}/${run.shards}`,
      worker,
    });
  }

  private refuseFuture(businessDate: string): void {
    if (businessDate > this.calendar.today())
      throw new AnalyticsException(
        AnalyticsExceptionCode.BusinessDateNotReached,
        `business date ${businessDate} has not begun: a close of business runs for today or earlier`,
      );
  }
}
