import { GrpcServiceConfig } from '@crm/config';
import { Matches } from 'class-validator';

/** Settings of customer-service (HTTP on PORT, gRPC on GRPC_PORT, tables in DATABASE_SCHEMA). */
export class CustomerServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3001;

  override GRPC_PORT: number = 50051;

  /** The service's own schema; tests give each file a throw-away one. */
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'must be lower-case letters, digits and _' })
  DATABASE_SCHEMA: string = 'customer';
}
