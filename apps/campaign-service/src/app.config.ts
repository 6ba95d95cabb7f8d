import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import { GrpcServiceConfig, ReadableFile } from '@crm/config';

/** Environment of the campaign service. */
export class CampaignServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3004;

  override GRPC_PORT: number = 50054;

  override DATABASE_SCHEMA: string = 'campaign';

  override REDIS_KEY_PREFIX: string = 'campaign:';

  /** How often each instance looks for contacts that are due. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  DISPATCH_INTERVAL_MS: number = 2_000;

  /** Customers one dispatcher transaction judges at a time (all their due contacts together). */
  @IsInt()
  @Min(1)
  @Max(10_000)
  DISPATCH_BATCH_SIZE: number = 500;

  /** Dispatch transactions one instance runs at once. */
  @IsInt()
  @Min(1)
  @Max(16)
  DISPATCH_CONCURRENCY: number = 2;

  /**
   * After Redis lost the contact counters, how long to hold every contact before rebuilding them from
   * the ledger: longer than a dispatch transaction may run, so none still in flight is missed.
   */
  @IsInt()
  @Min(0)
  @Max(120_000)
  POLICY_REBUILD_GRACE_MS: number = 5_000;

  /**
   * How long after the alert that triggers it a campaign's contact is due: within minutes, yet late enough
   * that campaigns triggered by alerts arriving moments apart are judged together by arbitration.
   */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  TRIGGERED_CONTACT_DELAY_MS: number = 60_000;

  /** customer-service's gRPC address (host:port): audiences written as a search are materialised there. */
  @IsString()
  @IsNotEmpty()
  CUSTOMER_SERVICE_GRPC_ADDRESS: string = '127.0.0.1:50051';

  /** PEM CA bundle that signed customer-service's gRPC certificate: when set, the call uses TLS. */
  @ReadableFile()
  CUSTOMER_SERVICE_GRPC_CA_FILE?: string;

  /** How long streaming one audience may take before it is cut (and resumed by the next attempt). */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  CUSTOMER_SERVICE_STREAM_DEADLINE_MS: number = 600_000;
}
