import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertKind } from '@crm/contracts';
import { BatchKey, type EventBatch } from '@crm/messaging';
import { AlertRaiser } from '../alerts/alert-raiser.service';
import { isReminderDue } from '../rules/reminder.util';
import { alertKeyOf, type ReminderPlan } from '../rules/rule.types';
import { ReminderRepository, candidateOf } from './reminder.repository';
import { ReminderScheduler } from './reminder.scheduler';

const NOT_DUE_BEFORE = new BatchKey<Promise<Map<string, number>>>('reminders.not-due-before');

const customerIdsOf = (batch: EventBatch): string[] => [
  ...new Set(
    batch.events.flatMap((e) => {
      const { customerId } = e.data as { customerId?: unknown };
      return typeof customerId === 'string' ? [customerId] : [];
    }),
  ),
];

/** How often reminders come due are looked for in Postgres, for those whose delayed job is lost. */
const SWEEP_INTERVAL_MS = 2_000;

class ReminderNotCommittedError extends Error {
  override name = 'ReminderNotCommittedError';
}

/**
 * Reminders ahead of due dates. One is raised when its due instant is reached by whichever clock gets
 * there first: the wall clock (a BullMQ delayed job) or the event time of any later event of the same
 * customer (so a stream replayed or simulated faster than real time raises them where they belong).
 */
@Injectable()
export class ReminderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderService.name);

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly raiser: AlertRaiser,
    private readonly dataSource: DataSource,
  ) {
    scheduler.onFire((alertKey) => this.fireJob(alertKey));
  }

  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;

  /**
   * Re-creates the delayed jobs of pending reminders (Redis may have been wiped while we were down),
   * and starts the sweep that raises reminders come due whose job is gone (Redis wiped while running):
   * the jobs make reminders punctual, Postgres makes sure none is lost.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.sweepTimer = setInterval(() => void this.sweepDue(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    let after = '';
    for (;;) {
      const page = await this.reminders.pendingPage(after, 500);
      await this.scheduler.schedule(
        page.map((r) => ({ alertKey: r.alert_key, dueFrom: r.due_from.getTime(), replacing: true })),
      );
      if (page.length < 500) break;
      after = page[page.length - 1].alert_key;
    }
  }

  /** Raises the plans due by `at` (event time) now; records and schedules the others. */
  async plan(
    tx: EntityManager,
    batch: EventBatch,
    plans: readonly ReminderPlan[],
    at: number,
    sourceEventId: string,
  ): Promise<void> {
    const ahead: ReminderPlan[] = [];
    for (const plan of plans) {
      if (!isReminderDue(plan, at)) {
        ahead.push(plan);
        continue;
      }
      const key = alertKeyOf({ ...plan, periodKey: plan.dueDate });
      await this.raiser.raise(tx, [{ ...toCandidate(plan), occurredAt: at }], [sourceEventId]);
      await this.reminders.upsertPending(tx, [plan], sourceEventId);
      await this.reminders.markRaised(tx, key);
      await this.scheduler.cancel(key);
    }
    const pending = await this.reminders.upsertPending(tx, ahead, sourceEventId);
    const notDueBefore = await this.notDueBefore(tx, batch);
    const customerOf = new Map(ahead.map((p) => [alertKeyOf({ ...p, periodKey: p.dueDate }), p.customerId]));
    for (const { alertKey, dueFrom } of pending) {
      const customerId = customerOf.get(alertKey)!;
      notDueBefore.set(customerId, Math.min(notDueBefore.get(customerId) ?? Infinity, dueFrom - 1));
    }
    await this.scheduler.schedule(pending.filter((r) => r.reschedule));
  }

  /** Cancels a subject's pending reminders of some kinds (all but `keep`), jobs included. */
  async cancel(
    tx: EntityManager,
    subjectRef: string,
    kinds: readonly AlertKind[],
    keep: readonly string[] = [],
  ): Promise<void> {
    for (const key of await this.reminders.cancel(tx, subjectRef, kinds, keep))
      await this.scheduler.cancel(key);
  }

  /**
   * An event of the customer at `at`: raises every pending reminder of theirs now due by event time. Most
   * events have none due: the batch's first event reads when each of its customers' next reminder is due,
   * so only an event that reaches it looks the reminders up.
   */
  async advanceCustomerClock(
    tx: EntityManager,
    batch: EventBatch,
    customerId: string,
    at: number,
    sourceEventId: string,
  ): Promise<void> {
    const notDueBefore = await this.notDueBefore(tx, batch);
    if (at < (notDueBefore.get(customerId) ?? -Infinity)) return;
    for (const row of await this.reminders.dueForCustomer(tx, customerId, at)) {
      await this.raiser.raise(tx, [candidateOf(row)], [row.source_event_id, sourceEventId]);
      await this.reminders.markRaised(tx, row.alert_key);
      await this.scheduler.cancel(row.alert_key);
    }
    // Whatever was due by `at` is raised: what stays pending is due after it.
    notDueBefore.set(customerId, at + 1);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  /** Per customer of the batch, an instant before which none of their pending reminders is due. */
  private notDueBefore(tx: EntityManager, batch: EventBatch): Promise<Map<string, number>> {
    return batch.once(NOT_DUE_BEFORE, () => this.reminders.notDueBefore(tx, customerIdsOf(batch)));
  }

  private async sweepDue(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const key of await this.reminders.dueKeys(new Date(), 500)) await this.fireJob(key);
    } catch (error) {
      this.logger.warn({ msg: 'reminder sweep failed, next one retries', err: error });
    } finally {
      this.sweeping = false;
    }
  }

  private async fireJob(alertKey: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.reminders.lock(tx, alertKey);
      if (!row) throw new ReminderNotCommittedError(`reminder ${alertKey} is not (yet) recorded`);
      if (row.status !== 'pending') return;
      if (row.due_from.getTime() > Date.now()) {
        // Rescheduled later while the job waited: the newer job is the one that counts.
        this.logger.debug({ msg: 'reminder job early, skipped', alertKey });
        return;
      }
      await this.raiser.raise(tx, [candidateOf(row)], [row.source_event_id]);
      await this.reminders.markRaised(tx, alertKey);
    });
  }
}

const toCandidate = (plan: ReminderPlan) => ({
  kind: plan.kind,
  customerId: plan.customerId,
  subjectRef: plan.subjectRef,
  periodKey: plan.dueDate,
  institutionId: plan.institutionId,
  reason: plan.reason,
  occurredAt: plan.dueFrom,
  ...(plan.amount ? { amount: plan.amount } : {}),
});
