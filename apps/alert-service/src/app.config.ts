import { HttpServiceConfig } from '@crm/config';

/** Environment of the alert service. */
export class AlertServiceConfig extends HttpServiceConfig {
  override PORT: number = 3003;

  /** Measured and fault-drilled this way: see docs/benchmarks/alerts.md and the fault drills. */
  override KAFKA_EVENTS_PER_TRANSACTION: number = 100;

  override DATABASE_SCHEMA: string = 'alert';

  override REDIS_KEY_PREFIX: string = 'alert:';
}
