import { GrpcServiceConfig } from '@crm/config';

/** Environment of the alert service (HTTP on PORT, gRPC on GRPC_PORT). */
export class AlertServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3003;

  override GRPC_PORT: number = 50053;

  /**
   * About one lane's share of a full fetch in a catch-up, so a commit's fsync and a batch's fixed statements are
   * paid once per fetch and lane: against 100, 1.5× the catch-up throughput (bench/alerts). A live stream's
   * transactions stay as small as what arrived. Measured and fault-drilled this way: see
   * docs/benchmarks/alerts.md and the fault drills.
   */
  override KAFKA_EVENTS_PER_TRANSACTION: number = 1000;

  override DATABASE_SCHEMA: string = 'alert';

  override REDIS_KEY_PREFIX: string = 'alert:';
}
