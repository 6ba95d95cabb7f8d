import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { AnalyticsServiceConfig } from '../app.config';
import { BackfillJob, COB_QUEUE, CobJob, RunJob, ShardJob, cobQueueOptions } from './cob.queue';
import { CobService } from './cob.service';

/** Jobs that are a step of one run: the run fails with them. */
const RUN_JOBS: string[] = [CobJob.Indicators, CobJob.Profiles, CobJob.Publish];

/**
 * Every instance's worker on the close-of-business queue (`COB_WORKER_CONCURRENCY` jobs at once; none at
 * 0): hands each job to the service. A job whose worker dies (kill -9, a lost node) keeps its lock no
 * longer than `COB_JOB_LOCK_SECONDS`; another instance's worker then finds it stalled and runs it again,
 * which is safe because every step of a run is idempotent. A job that fails is retried
 * (`COB_JOB_ATTEMPTS`); when it will not be again, its run is failed with the reason.
 */
@Injectable()
export class CobWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CobWorker.name);
  /** Who did a shard, as the run records it: host (a pod's name), process, and this instance. */
  readonly name = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  private worker?: Worker;

  constructor(
    private readonly config: AnalyticsServiceConfig,
    private readonly cob: CobService,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = this.config.COB_WORKER_CONCURRENCY;
    if (concurrency === 0) return;
    const lockMs = this.config.COB_JOB_LOCK_SECONDS * 1_000;
    this.worker = new Worker(COB_QUEUE, (job, token) => this.handle(job, token), {
      ...cobQueueOptions(this.config),
      concurrency,
      name: this.name,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job that kills its worker twice is not handed to a third.
      maxStalledCount: 1,
    });
    this.worker.on('failed', (job, error) => void this.failed(job, error));
    this.worker.on('error', (error) =>
      this.logger.warn({ msg: 'close-of-business worker error', error: error.message }),
    );
  }

  /** Waits for the jobs in hand (a shard's transaction commits or rolls back) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async handle(job: Job, token?: string): Promise<void> {
    switch (job.name as CobJob) {
      case CobJob.Schedule:
        // The instant the schedule fired, not when a worker got to it: a late job closes the right date.
        await this.cob.startScheduled(job.opts.prevMillis ?? job.timestamp);
        return;
      case CobJob.Indicators:
        await this.cob.runIndicators(job.data as ShardJob, this.name);
        return;
      case CobJob.Profiles:
        await this.cob.runProfiles(job.data as ShardJob, this.name);
        return;
      case CobJob.Publish:
        await this.cob.publish(job.data as ShardJob, this.name);
        return;
      case CobJob.Backfill: {
        const next = await this.cob.stepBackfill(job.data as BackfillJob);
        if (!next) return;
        // Comes back when the date's run may have ended, holding no worker meanwhile.
        await job.updateData(next.job);
        await job.moveToDelayed(Date.now() + next.afterMs, token);
        throw new DelayedError();
      }
      default:
        throw new Error(`unknown close-of-business job ${job.name}`);
    }
  }

  private async failed(job: Job | undefined, error: Error): Promise<void> {
    const final = job?.finishedOn !== undefined;
    this.logger.warn({
      msg: final ? 'close-of-business job failed' : 'close-of-business job failed, will retry',
      job: job?.id,
      attempts: job?.attemptsMade,
      error: error.message,
    });
    if (!final || !job || !RUN_JOBS.includes(job.name)) return;
    const { runId } = job.data as RunJob;
    await this.cob
      .failRun(runId, `${job.name} job ${job.id}: ${error.message}`)
      .catch((failure: Error) =>
        this.logger.error({ msg: 'run not marked failed', runId, error: failure.message }),
      );
  }
}
