import { ServiceConfig } from '@crm/config';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

/** Largest population the simulator holds in memory (every account's balance lives in the process). */
export const MAX_CUSTOMERS = 200_000;
export const MAX_RATE = 100_000;

/** Environment settings of the simulator; command-line flags override them. */
export class CorebankSimulatorConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  SIM_SEED: number = 42;

  @IsInt()
  @Min(1)
  @Max(MAX_CUSTOMERS)
  SIM_CUSTOMERS: number = 1000;

  /** Events per second published to Kafka; 0 publishes as fast as the broker takes them. */
  @IsNumber()
  @Min(0)
  @Max(MAX_RATE)
  SIM_RATE: number = 100;
}
