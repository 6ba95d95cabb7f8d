import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ConfigRule, HttpServiceConfig } from '@crm/config';
import { SCHEDULED_DATES, cronOf, type ScheduledDate } from './cob/cob-schedule.rule';

/** Environment of the analytics service. */
export class AnalyticsServiceConfig extends HttpServiceConfig {
  override PORT: number = 3005;

  override DATABASE_SCHEMA: string = 'analytics';

  override REDIS_KEY_PREFIX: string = 'analytics:';

  /**
   * Months of transactions that stay attached whatever an operator asks to detach: the current month and
   * the ones before it, enough for the 30- and 90-day activity, year-to-date figures and last year's month.
   */
  @IsInt()
  @Min(1)
  @Max(240)
  TRANSACTION_RETAINED_MONTHS: number = 13;

  /** Shards a close of business started through the API splits the bank's customers into (by id hash). */
  @IsInt()
  @Min(1)
  @Max(256)
  COB_SHARDS: number = 1;

  /** Changed profiles moved from the run's queue into the outbox per transaction. */
  @IsInt()
  @Min(1)
  @Max(50_000)
  COB_PUBLISH_BATCH: number = 5_000;

  /** A running close of business with no progress for this long is taken as dead; its date can run again. */
  @IsInt()
  @Min(1)
  @Max(1_440)
  COB_RUN_STALE_MINUTES: number = 30;

  /**
   * When the close of business starts by itself, in BANK_TIME_ZONE: `HH:mm` every day, a cron expression
   * (numeric fields; seconds first if six), or `off` (runs are then started through the API only).
   */
  @ConfigRule(
    (v) => typeof v === 'string' && cronOf(v) !== undefined,
    "must be 'off', HH:mm (e.g. 23:30) or a cron expression of numeric fields (e.g. '30 23 * * *')",
  )
  COB_SCHEDULE: string = 'off';

  /** The business date a scheduled run closes: the one it starts on, or `yesterday` for a run after midnight. */
  @IsIn(SCHEDULED_DATES)
  COB_SCHEDULE_CLOSES: ScheduledDate = 'today';

  /** Close-of-business jobs (a shard's indicators or profiles, a run's publication) this instance runs at once; 0 none. */
  @IsInt()
  @Min(0)
  @Max(16)
  COB_WORKER_CONCURRENCY: number = 1;

  /** Tries of a close-of-business job before its run is failed (a retry waits 5 s, then 10 s, 20 s …). */
  @IsInt()
  @Min(1)
  @Max(20)
  COB_JOB_ATTEMPTS: number = 3;

  /**
   * A job's lock lasts this long unless its worker renews it: a worker killed mid-job has the job taken up
   * again by another instance within about twice this.
   */
  @IsInt()
  @Min(2)
  @Max(600)
  COB_JOB_LOCK_SECONDS: number = 30;
}
