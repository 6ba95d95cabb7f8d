import { GrpcServiceConfig } from '@crm/config';

/** Settings of assignment-service (HTTP on PORT, gRPC on GRPC_PORT). */
export class AssignmentServiceConfig extends GrpcServiceConfig {
  override PORT: number = 3002;

  override GRPC_PORT: number = 50052;

  override DATABASE_SCHEMA: string = 'assignment';
}
