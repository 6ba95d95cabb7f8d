import { IsInt, Max, Min } from 'class-validator';
import { HttpServiceConfig } from '@crm/config';

/** Settings of assignment-service (HTTP on PORT, gRPC on GRPC_PORT). */
export class AssignmentServiceConfig extends HttpServiceConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT: number = 3002;

  @IsInt()
  @Min(1)
  @Max(65535)
  GRPC_PORT: number = 50052;
}
