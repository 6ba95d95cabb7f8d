import { HttpServiceConfig } from '@crm/config';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Settings of customer-service (HTTP on PORT, gRPC on GRPC_PORT, tables in DATABASE_SCHEMA). */
export class CustomerServiceConfig extends HttpServiceConfig {
  override PORT: number = 3001;

  @IsInt()
  @Min(1)
  @Max(65535)
  GRPC_PORT: number = 50051;

  /** The service's own schema; tests give each file a throw-away one. */
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'must be lower-case letters, digits and _' })
  DATABASE_SCHEMA: string = 'customer';
}
