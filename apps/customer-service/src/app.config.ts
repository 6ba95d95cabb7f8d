import { GrpcServiceConfig } from '@crm/config';
import { IsInt, Max, Min } from 'class-validator';

/** Settings of customer-service (HTTP on PORT, gRPC on GRPC_PORT, tables in DATABASE_SCHEMA). */
export class CustomerServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3001;

  override GRPC_PORT: number = 50051;

  override DATABASE_SCHEMA: string = 'customer';

  /** An export whose filter matches more rows is refused (422) before any row is sent. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  EXPORT_MAX_ROWS: number = 100_000;

  /** statement_timeout of each statement of an export's transaction. */
  @IsInt()
  @Min(1)
  @Max(3600)
  EXPORT_STATEMENT_TIMEOUT_SECONDS: number = 30;

  /** An export still streaming after this long (a slow reader) is cut off and its connection returned. */
  @IsInt()
  @Min(1)
  @Max(3600)
  EXPORT_MAX_SECONDS: number = 300;
}
