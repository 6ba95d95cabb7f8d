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
}
