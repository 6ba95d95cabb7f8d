import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar, MS_PER_MINUTE, addDays } from '@crm/calendar';
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
import { CobRun, CobRunRepository, RunPhase, ShardStage } from './cob-run.repository';
import type { CobRunDto } from './cob.dto';
import type { Shard } from './cob-shard';

const elapsedSince = (start: number) => Math.round(performance.now() - start);

/**
 * The close of business (日终批处理) for a business date, in shards of customers:
 *
 * 1. each shard's indicators (`runCloseOfBusiness(date, shard, shards)`, any instance, any order);
 * 2. the shard that completes the set takes the rest: the bank-wide RFM breakpoints, every shard's profiles
 *    (compared with the previous run's date), then the changed profiles into the outbox.
 *
 * A run is idempotent per date: running a date again replaces its figures with the same ones and queues only
 * profiles that came out different. A past date can be run (backfill): figures as of that date's end.
 */
@Injectable()
export class CobService implements OnApplicationShutdown {
  private readonly logger = new Logger(CobService.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly runs: CobRunRepository,
    private readonly indicators: IndicatorSnapshotRepository,
    private readonly profiles: ProfileSnapshotRepository,
    private readonly publisher: ProfilePublisher,
    private readonly parameters: AnalyticsParametersService,
    private readonly partitions: PartitionsService,
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly config: AnalyticsServiceConfig,
    private readonly audit: AuditLogWriter,
  ) {}

  /**
   * Starts a run of every shard of the date in this process (audited), or joins the date's running one;
   * returns it at once, the work goes on in the background.
   */
  async start(user: AuthenticatedUser, businessDate: string, shards?: number): Promise<CobRunDto> {
    if (businessDate > this.calendar.today())
      throw new AnalyticsException(
        AnalyticsExceptionCode.BusinessDateNotReached,
        `business date ${businessDate} has not begun: a close of business runs for today or earlier`,
      );
    const { run, opened } = await this.open(businessDate, shards ?? this.config.COB_SHARDS, user.userId);
    await this.audit.record({
      actor: user,
      action: opened ? 'cob.run.start' : 'cob.run.join',
      resourceType: 'cob-run',
      resourceId: run.runId,
      outcome: 'allowed',
      details: { businessDate, shards: run.shards },
    });
    if (opened) this.track(this.runAllShards(run));
    return this.find(run.runId);
  }

  /**
   * One shard's part of the date's run: the seam a scheduler calls, one job per shard, from any instance.
   * Joins the date's running run (opening one with `shards` shards if none runs) and writes the shard's
   * indicators; the call that writes the last shard goes on to RFM, profiles and the outbox.
   */
  async runCloseOfBusiness(
    businessDate: string,
    shard: number,
    shards: number,
    requestedBy = 'scheduler',
  ): Promise<void> {
    if (!Number.isInteger(shard) || shard < 0 || shard >= shards)
      throw new RangeError(`shard ${shard} is not one of 0 to ${shards - 1}`);
    const { run } = await this.open(businessDate, shards, requestedBy);
    if (run.shards !== shards)
      throw new AnalyticsException(
        AnalyticsExceptionCode.RunShardsDiffer,
        `the running close of business of ${businessDate} has ${run.shards} shards, not ${shards}`,
      );
    try {
      await this.writeIndicators(run, { shard, shards });
      if (await this.runs.claimProfiles(run.runId)) await this.completeRun(run);
    } catch (error) {
      await this.runs.fail(run.runId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
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

  private async runAllShards(run: CobRun): Promise<void> {
    for (let shard = 0; shard < run.shards; shard += 1)
      await this.runCloseOfBusiness(run.businessDate, shard, run.shards, run.requestedBy);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: Error) =>
      this.logger.error({ msg: 'close of business failed', error: error.message }),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async writeIndicators(run: CobRun, shard: Shard): Promise<void> {
    await this.runs.heartbeat(run.runId);
    const periods = periodsOf(run.businessDate);
    const endOfDay = new Date(this.calendar.startOf(addDays(run.businessDate, 1)));
    await this.dataSource.transaction(async (tx) => {
      if ((await this.runs.lockShard(tx, run.runId, shard.shard)) !== ShardStage.Pending) return;
      const start = performance.now();
      const customers = await this.indicators.write(tx, {
        periods,
        endOfDay,
        spreads: run.parameters.contributionSpreads,
        shard,
      });
      await this.runs.shardIndicated(tx, run.runId, shard.shard, customers, elapsedSince(start));
    });
  }

  /** RFM over the whole bank, then every shard's profiles, then the outbox; the run has all its indicators. */
  private async completeRun(run: CobRun): Promise<void> {
    const breakpoints = await this.dataSource.transaction((tx) =>
      this.profiles.breakpoints(tx, run.businessDate),
    );
    await this.runs.setBreakpoints(run.runId, breakpoints);
    const computedAt = new Date();
    for (let shard = 0; shard < run.shards; shard += 1) {
      await this.runs.heartbeat(run.runId);
      await this.dataSource.transaction(async (tx) => {
        if ((await this.runs.lockShard(tx, run.runId, shard)) !== ShardStage.Indicated) return;
        const start = performance.now();
        const changed = await this.profiles.write(tx, {
          businessDate: run.businessDate,
          previousDate: run.previousBusinessDate,
          thresholds: run.parameters.valueTiers,
          breakpoints,
          potentialTags: run.parameters.potentialTags,
          churn: run.parameters.churn,
          computedAt,
          shard: { shard, shards: run.shards },
        });
        await this.runs.shardProfiled(tx, run.runId, shard, changed, elapsedSince(start));
      });
    }
    await this.runs.enterPhase(run.runId, RunPhase.Publishing);
    await this.publisher.publishQueued(run);
    await this.runs.succeed(run.runId);
    this.logger.log({ msg: 'close of business done', runId: run.runId, businessDate: run.businessDate });
  }

  /** A run and its shards' progress. */
  async find(runId: string): Promise<CobRunDto> {
    const run = await this.runs.find(runId);
    if (!run)
      throw new AnalyticsException(AnalyticsExceptionCode.RunNotFound, `no close-of-business run ${runId}`);
    return {
      ...run,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      shardProgress: await this.runs.shardsOf(runId),
    };
  }
}
