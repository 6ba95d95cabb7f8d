import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CampaignServiceConfig } from '../app.config';
import { AudienceMaterialiser } from '../targets/audience-materialiser.service';
import { ContactDispatcher } from './contact-dispatcher.service';

/** A job run again DISPATCH_INTERVAL_MS after each run ends, until shutdown waits for the one running. */
class Recurring {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => Promise<void>,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = null;
        this.start();
      });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * On every instance: materialises search audiences and dispatches due contacts, each on its own
 * schedule (a large audience does not hold contacts back). Instances share the work through row locks
 * and leases, so adding instances adds throughput.
 */
@Injectable()
export class DispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchLoop.name);
  private readonly jobs: Recurring[];

  constructor(
    dispatcher: ContactDispatcher,
    materialiser: AudienceMaterialiser,
    config: CampaignServiceConfig,
  ) {
    this.jobs = [
      new Recurring(config.DISPATCH_INTERVAL_MS, async () => {
        const report = await dispatcher.runOnce().catch((error: Error) => {
          // Nothing of a failed batch was committed, and its counts were released: the next run retries.
          this.logger.error(`dispatch failed: ${error.message}`);
          return null;
        });
        if (report && report.sent + report.suppressed + report.deferred > 0)
          this.logger.log(
            `dispatched: ${report.sent} sent, ${report.suppressed} suppressed, ${report.deferred} deferred`,
          );
      }),
      new Recurring(config.DISPATCH_INTERVAL_MS, async () => {
        await materialiser.materialisePending().catch((error: Error) => {
          this.logger.error(`audience materialisation failed: ${error.message}`);
        });
      }),
    ];
  }

  onApplicationBootstrap(): void {
    this.jobs.forEach((job) => job.start());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.jobs.map((job) => job.stop()));
  }
}
