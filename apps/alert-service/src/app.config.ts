import { IsInt, Max, Min } from 'class-validator';
import { GrpcServiceConfig } from '@crm/config';

/** Environment of the alert service (HTTP on PORT, gRPC on GRPC_PORT). */
export class AlertServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3003;

  override GRPC_PORT: number = 50053;

  override DATABASE_SCHEMA: string = 'alert';

  override REDIS_KEY_PREFIX: string = 'alert:';

  /** Attempts of a webhook delivery before it is dead (listed by the API, sent again on request). */
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS: number = 10;

  /** Wait before a delivery's second attempt; each later one waits twice the one before (at most 6 hours). */
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS: number = 30_000;

  /** How long a receiver may take to answer an attempt. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 5_000;

  /** How often due deliveries are looked for. */
  @IsInt()
  @Min(10)
  WEBHOOK_POLL_INTERVAL_MS: number = 1_000;
}
