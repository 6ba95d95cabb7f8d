import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ReadinessCheck } from './readiness-checks';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Named readiness checks, e.g. `{ postgres: postgresCheck(dataSource) }`. */
  checks: Record<string, ReadinessCheck>;
  /** Each check fails when it takes longer than this; default 2000 ms. */
  timeoutMs?: number;
}

export type CheckState = 'up' | 'down';

export interface ReadinessReport {
  status: 'ok' | 'down' | 'shutting-down';
  checks: Record<string, CheckState>;
}

const DEFAULT_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(HealthService.name);
  private shuttingDown = false;

  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  /** Runs every check in parallel; a check that fails is logged here and reported only as `down`, so probes learn nothing internal. */
  async readiness(): Promise<ReadinessReport> {
    const names = Object.keys(this.options.checks);
    const states = await Promise.all(names.map((name) => this.run(name, this.options.checks[name])));
    const checks = Object.fromEntries(names.map((name, i) => [name, states[i]]));
    if (this.shuttingDown) return { status: 'shutting-down', checks };
    return { status: states.every((s) => s === 'up') ? 'ok' : 'down', checks };
  }

  /** Stop receiving traffic while in-flight work drains. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  private async run(name: string, check: ReadinessCheck): Promise<CheckState> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([check(), timeout]);
      return 'up';
    } catch (error) {
      this.logger.warn({ msg: `readiness check ${name} failed`, check: name, err: error });
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
