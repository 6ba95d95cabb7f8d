import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertKind } from '@crm/contracts';
import { BatchKey, type EventBatch } from '@crm/messaging';
import { AlertRaiser } from '../alerts/alert-raiser.service';
import { isReminderDue } from '../rules/reminder.util';
import { alertKeyOf, type ReminderPlan } from '../rules/rule.types';
import { ReminderRepository, candidateOf, type ReminderRow } from './reminder.repository';
import { ReminderScheduler } from './reminder.scheduler';

/** A wake-up job to remove, or to add (`replacing` one of another due instant). */
type JobChange = 'cancel' | { dueFrom: number; replacing: boolean };

const JOB_CHANGES = new BatchKey<Map<string, JobChange>>('reminders.job-changes');

const BATCH_REMINDERS = new BatchKey<Promise<BatchReminders>>('reminders.pending');

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

/**
 * The pending reminders of a batch's customers, read in one statement when the batch first needs them and
 * kept up to date as it changes them: an event raises from here those its time has reached, and they are
 * marked raised in Postgres together, before the batch's next statement on reminders or its commit.
 */
class BatchReminders {
  private readonly byCustomer = new Map<string, Map<string, ReminderRow>>();
  private raised: string[] = [];

  constructor(customerIds: readonly string[], rows: readonly ReminderRow[]) {
    this.learn(customerIds, rows);
  }

  knows(customerId: string): boolean {
    return this.byCustomer.has(customerId);
  }

  /** The customers' pending reminders, as read from Postgres. */
  learn(customerIds: readonly string[], rows: readonly ReminderRow[]): void {
    for (const id of customerIds) this.byCustomer.set(id, new Map());
    this.put(rows);
  }

  /** Reminders pending as the batch left them; of a customer not known yet, Postgres has them already. */
  put(rows: readonly ReminderRow[]): void {
    for (const row of rows) this.byCustomer.get(row.customer_id)?.set(row.alert_key, row);
  }

  remove(alertKeys: readonly string[]): void {
    for (const ofCustomer of this.byCustomer.values()) alertKeys.forEach((key) => ofCustomer.delete(key));
  }

  /** The customer's reminders due by `at` (ms), soonest first, now raised. */
  raiseDue(customerId: string, at: number): ReminderRow[] {
    const ofCustomer = this.byCustomer.get(customerId);
    if (!ofCustomer) return [];
    const due = [...ofCustomer.values()]
      .filter((row) => row.due_from.getTime() <= at)
      .sort((a, b) => a.due_from.getTime() - b.due_from.getTime());
    for (const row of due) {
      ofCustomer.delete(row.alert_key);
      this.raised.push(row.alert_key);
    }
    return due;
  }

  /** The keys raised since the last call, for Postgres. */
  takeRaised(): string[] {
    const keys = this.raised;
    this.raised = [];
    return keys;
  }
}

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
    const reminders = await this.remindersOf(tx, batch);
    // The upsert must see what the batch has raised so far as raised, as it would one event at a time.
    await this.flushRaised(tx, reminders);
    const ahead: ReminderPlan[] = [];
    for (const plan of plans) {
      if (!isReminderDue(plan, at)) {
        ahead.push(plan);
        continue;
      }
      const key = alertKeyOf({ ...plan, periodKey: plan.dueDate });
      this.raiser.raiseInBatch(tx, batch, [{ ...toCandidate(plan), occurredAt: at }], [sourceEventId]);
      await this.reminders.upsertPending(tx, [plan], sourceEventId);
      await this.reminders.markAllRaised(tx, [key]);
      reminders.remove([key]);
      this.jobsAfterCommit(batch).set(key, 'cancel');
    }
    const pending = await this.reminders.upsertPending(tx, ahead, sourceEventId);
    reminders.put(pending.map((p) => p.row));
    const jobs = this.jobsAfterCommit(batch);
    for (const { row, replacing } of pending.filter((p) => p.reschedule)) {
      // A job changed earlier in the batch is replaced whatever the row said before this statement.
      jobs.set(row.alert_key, {
        dueFrom: row.due_from.getTime(),
        replacing: replacing || jobs.has(row.alert_key),
      });
    }
  }

  /** Cancels a subject's pending reminders of some kinds (all but `keep`), jobs included. */
  async cancel(
    tx: EntityManager,
    batch: EventBatch,
    subjectRef: string,
    kinds: readonly AlertKind[],
    keep: readonly string[] = [],
  ): Promise<void> {
    const reminders = await this.remindersOf(tx, batch);
    // What the batch raised is raised, not cancelled.
    await this.flushRaised(tx, reminders);
    const cancelled = await this.reminders.cancel(tx, subjectRef, kinds, keep);
    reminders.remove(cancelled);
    const jobs = this.jobsAfterCommit(batch);
    for (const key of cancelled) jobs.set(key, 'cancel');
  }

  /**
   * An event of the customer at `at`: raises every pending reminder of theirs now due by event time, from
   * the batch's reminders (one read for all its customers, not one per event).
   */
  async advanceCustomerClock(
    tx: EntityManager,
    batch: EventBatch,
    customerId: string,
    at: number,
    sourceEventId: string,
  ): Promise<void> {
    const reminders = await this.remindersOf(tx, batch);
    if (!reminders.knows(customerId)) {
      reminders.learn([customerId], await this.reminders.pendingOf(tx, [customerId]));
    }
    const raised = reminders.raiseDue(customerId, at);
    const jobs = this.jobsAfterCommit(batch);
    for (const row of raised) {
      this.raiser.raiseInBatch(tx, batch, [candidateOf(row)], [row.source_event_id, sourceEventId]);
      jobs.set(row.alert_key, 'cancel');
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  /** The batch's reminders; what it raised is marked so in Postgres before it commits. */
  private remindersOf(tx: EntityManager, batch: EventBatch): Promise<BatchReminders> {
    return batch.once(BATCH_REMINDERS, () => {
      const customerIds = customerIdsOf(batch);
      const loaded = this.reminders
        .pendingOf(tx, customerIds)
        .then((rows) => new BatchReminders(customerIds, rows));
      batch.beforeCommit(async () => this.flushRaised(tx, await loaded));
      return loaded;
    });
  }

  private async flushRaised(tx: EntityManager, reminders: BatchReminders): Promise<void> {
    const keys = reminders.takeRaised();
    if (keys.length > 0) await this.reminders.markAllRaised(tx, keys);
  }

  /**
   * The wake-up jobs to change once the batch commits, by alert key (the last change of a key counts): a job
   * must not fire before its reminder's row is committed. Should the change be lost, the sweep still raises
   * reminders come due, and a restart reschedules every pending one.
   */
  private jobsAfterCommit(batch: EventBatch): Map<string, JobChange> {
    return batch.once(JOB_CHANGES, () => {
      const jobs = new Map<string, JobChange>();
      batch.afterCommit(async () => {
        const changes = [...jobs];
        await Promise.all(
          changes.filter(([, change]) => change === 'cancel').map(([key]) => this.scheduler.cancel(key)),
        );
        await this.scheduler.schedule(
          changes.flatMap(([alertKey, change]) => (change === 'cancel' ? [] : [{ alertKey, ...change }])),
        );
      });
      return jobs;
    });
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
      await this.reminders.markAllRaised(tx, [alertKey]);
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
