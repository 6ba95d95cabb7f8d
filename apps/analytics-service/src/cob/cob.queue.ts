import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue, QueueOptions } from 'bullmq';
import { MS_PER_MINUTE } from '@crm/calendar';
import { queueConnectionOf } from '@crm/persistence';
import { AnalyticsServiceConfig } from '../app.config';
import { cronOf } from './cob-schedule.rule';

/** The queue's name: a wire name every instance (of any version) shares, never to change. */
export const COB_QUEUE = 'close-of-business';

/** What a job does; its data is a wire format too. */
export const CobJob = {
  /** Fired by the schedule: starts the run of the date it closes. */
  Schedule: 'schedule',
  /** A shard's indicators (`ShardJob`). */
  Indicators: 'indicators',
  /** A shard's profiles, once every shard has its indicators (`ShardJob`). */
  Profiles: 'profiles',
  /** A shard's changed profiles onto Kafka, once every shard has its profiles (`ShardJob`). */
  Publish: 'publish',
  /** Runs dates one after the other (`BackfillJob`). */
  Backfill: 'backfill',
} as const;
export type CobJob = (typeof CobJob)[keyof typeof CobJob];

export interface RunJob {
  runId: string;
  businessDate: string;
}

export interface ShardJob extends RunJob {
  shard: number;
}

export interface BackfillJob {
  from: string;
  to: string;
  shards: number;
  requestedBy: string;
  /** The date being run and its run, once started. */
  businessDate: string;
  runId: string | null;
}

const SCHEDULER_ID = 'close-of-business';
/** Redis may be wiped at any time: each instance puts the schedule back this often. */
const SCHEDULE_REFRESH_MS = 5 * MS_PER_MINUTE;
const RETRY_BASE_MS = 5_000;

/** How every instance reaches the queue: the service's Redis, under its key prefix. */
export const cobQueueOptions = (config: AnalyticsServiceConfig): QueueOptions => ({
  connection: queueConnectionOf(config.REDIS_URL),
  prefix: `${config.REDIS_KEY_PREFIX}bull`,
});

/**
 * The close of business's jobs in BullMQ (Redis), shared by every instance. A job's id names its run, kind
 * and shard, so handing out a run's jobs twice (a second start, a retried job) adds none; a run of the same
 * date later is another run with jobs of its own. The schedule is a job scheduler every instance upserts
 * (the same id: one schedule, one fire per occurrence, whoever takes it).
 */
@Injectable()
export class CobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CobQueue.name);
  private readonly queue: Queue;
  private refresh?: NodeJS.Timeout;

  constructor(private readonly config: AnalyticsServiceConfig) {
    this.queue = new Queue(COB_QUEUE, cobQueueOptions(config));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.putSchedule();
    this.refresh = setInterval(
      () =>
        void this.putSchedule().catch((error: Error) =>
          this.logger.warn({ msg: 'close-of-business schedule not refreshed', error: error.message }),
        ),
      SCHEDULE_REFRESH_MS,
    ).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.refresh);
    await this.queue.close();
  }

  /** One job per shard of the run, of the given kind. */
  async addShards(
    kind: typeof CobJob.Indicators | typeof CobJob.Profiles | typeof CobJob.Publish,
    run: RunJob,
    shards: number[],
  ) {
    if (shards.length === 0) return;
    await this.queue.addBulk(
      shards.map((shard) => ({
        name: kind,
        data: { ...run, shard } satisfies ShardJob,
        opts: this.runJobOptions(`${kind}.${run.businessDate}.${run.runId}.${shard}`),
      })),
    );
  }

  /** A backfill of the range; a second request for a range still being run is the same job. */
  async addBackfill(backfill: BackfillJob): Promise<void> {
    await this.queue.add(CobJob.Backfill, backfill, {
      jobId: `${CobJob.Backfill}.${backfill.from}.${backfill.to}`,
      attempts: this.config.COB_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: RETRY_BASE_MS },
      // Gone once done, so the same range can be backfilled again later.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 86_400 },
    });
  }

  private runJobOptions(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.config.COB_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: RETRY_BASE_MS },
      // Kept a day (operators may look at who ran what); the run's rows are the lasting record.
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    };
  }

  /** The configured schedule in the bank's zone, or none. */
  private async putSchedule(): Promise<void> {
    const pattern = cronOf(this.config.COB_SCHEDULE);
    if (!pattern) {
      await this.queue.removeJobScheduler(SCHEDULER_ID);
      return;
    }
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { pattern, tz: this.config.BANK_TIME_ZONE },
      {
        name: CobJob.Schedule,
        data: {},
        opts: {
          attempts: this.config.COB_JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: RETRY_BASE_MS },
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 100 },
        },
      },
    );
  }
}
