import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { queueConnectionOf } from '@crm/persistence';
import { AlertServiceConfig } from '../app.config';

export const REMINDER_QUEUE = 'alert-reminders';

/** BullMQ job ids may not contain ':'; a digest of the alert key is stable and safe. */
export const reminderJobId = (alertKey: string): string =>
  `r-${createHash('sha256').update(alertKey).digest('hex').slice(0, 40)}`;

export type ReminderJobHandler = (alertKey: string) => Promise<void>;

/**
 * Delayed jobs that wake a reminder at its due instant (wall clock). Job ids derive from the alert key, so
 * scheduling twice is one job, a moved date is a different key (the old one is removed), and a cancelled
 * reminder's job is removed. A job that fires for a reminder already raised or cancelled does nothing.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private readonly queue: Queue;
  private worker?: Worker;
  private handler?: ReminderJobHandler;

  constructor(private readonly config: AlertServiceConfig) {
    this.queue = new Queue(REMINDER_QUEUE, { connection: this.connection(), prefix: this.prefix() });
  }

  /** Set by the reminder service: what a fired job does. */
  onFire(handler: ReminderJobHandler): void {
    this.handler = handler;
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker(
      REMINDER_QUEUE,
      async (job: Job<{ alertKey: string }>) => {
        if (!this.handler) throw new Error('no reminder handler registered');
        await this.handler(job.data.alertKey);
      },
      { connection: this.connection(), prefix: this.prefix(), concurrency: 8 },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn({
        msg: 'reminder job failed',
        jobId: job?.id,
        attempts: job?.attemptsMade,
        error: String(error),
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /**
   * Schedules wake-up jobs in one round trip. A job id is taken once, so a reminder `replacing` a job of an
   * earlier due instant has that job removed first, and the moved instant counts.
   */
  async schedule(
    reminders: readonly { alertKey: string; dueFrom: number; replacing: boolean }[],
  ): Promise<void> {
    if (reminders.length === 0) return;
    await Promise.all(reminders.filter((r) => r.replacing).map((r) => this.cancel(r.alertKey)));
    await this.queue.addBulk(
      reminders.map((r) => ({
        name: 'fire',
        data: { alertKey: r.alertKey },
        opts: {
          jobId: reminderJobId(r.alertKey),
          delay: Math.max(0, r.dueFrom - Date.now()),
          // Retried when raising fails for a while (Postgres restarting, say); the sweep is the last resort.
          attempts: 8,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
  }

  async cancel(alertKey: string): Promise<void> {
    // A job already running cannot be removed; it finds the reminder cancelled and does nothing.
    await this.queue.remove(reminderJobId(alertKey)).catch(() => undefined);
  }

  private prefix(): string {
    return `${this.config.REDIS_KEY_PREFIX}bull`;
  }

  private connection() {
    return queueConnectionOf(this.config.REDIS_URL);
  }
}
