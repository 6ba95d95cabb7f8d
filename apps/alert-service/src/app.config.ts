import { IsString, Matches } from 'class-validator';
import { HttpServiceConfig } from '@crm/config';

/** Environment of the alert service. */
export class AlertServiceConfig extends HttpServiceConfig {
  override PORT: number = 3003;

  /** Measured and fault-drilled this way: see docs/benchmarks/alerts.md and the fault drills. */
  override KAFKA_EVENTS_PER_TRANSACTION: number = 100;

  override DATABASE_SCHEMA: string = 'alert';

  /** Put before every Redis key (windows and the BullMQ queue), so tests and environments share a Redis. */
  @IsString()
  @Matches(/^([a-z0-9_.-]+:)*$/, { message: "must be empty or ':'-terminated segments, e.g. 'alert:'" })
  REDIS_KEY_PREFIX: string = 'alert:';
}
