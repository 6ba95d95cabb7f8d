import { IsInt, Max, Min } from 'class-validator';
import { HttpServiceConfig } from '@crm/config';

/** Environment of the analytics service. */
export class AnalyticsServiceConfig extends HttpServiceConfig {
  override PORT: number = 3005;

  override DATABASE_SCHEMA: string = 'analytics';

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
}
