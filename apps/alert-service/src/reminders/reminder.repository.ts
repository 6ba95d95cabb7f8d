import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertKind } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import { alertKeyOf, type AlertCandidate, type ReminderPlan } from '../rules/rule.types';

export interface ReminderRow {
  alert_key: string;
  kind: AlertKind;
  customer_id: string;
  subject_ref: string;
  period_key: string;
  institution_id: string;
  due_from: Date;
  amount: string | null;
  currency: string | null;
  reason: string;
  source_event_id: string;
}

export const candidateOf = (r: ReminderRow): AlertCandidate => ({
  kind: r.kind,
  customerId: r.customer_id,
  subjectRef: r.subject_ref,
  periodKey: r.period_key,
  institutionId: r.institution_id,
  reason: r.reason,
  occurredAt: r.due_from.getTime(),
  ...(r.amount && r.currency ? { amount: { amount: r.amount, currency: r.currency } } : {}),
});

/** Reminders ahead of a due date: Postgres is their truth, BullMQ only wakes them up on time. */
@Injectable()
export class ReminderRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records reminders still to come, in one statement; a known one keeps its state unless still pending or
   * cancelled (then it is pending, with the new due instant). Returns the reminders pending after the call,
   * each with whether its wake-up job must be scheduled (new, moved, or back from cancelled) and whether
   * that replaces a job of an earlier due instant (moved).
   */
  async upsertPending(
    tx: EntityManager,
    plans: readonly ReminderPlan[],
    sourceEventId: string,
  ): Promise<{ row: ReminderRow; reschedule: boolean; replacing: boolean }[]> {
    if (plans.length === 0) return [];
    // One row per key (a statement may not update the same row twice), in key order (see markAllRaised).
    const byKey = new Map(plans.map((p) => [alertKeyOf({ ...p, periodKey: p.dueDate }), p]));
    const rows = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const s = schemaOf(tx.connection);
    const pending: (ReminderRow & { reschedule: boolean; replacing: boolean })[] = await tx.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::float8[], $8::numeric[], $9::text[], $10::text[])
           AS i(alert_key, kind, customer_id, subject_ref, period_key, institution_id, due_ms, amount, currency, reason)
       ), before AS (
         SELECT r.alert_key, r.due_from, r.status FROM "${s}".reminder r JOIN input USING (alert_key)
       ), after AS (
         INSERT INTO "${s}".reminder AS r
           (alert_key, kind, customer_id, subject_ref, period_key, institution_id, due_from, amount, currency, reason, source_event_id)
         SELECT alert_key, kind, customer_id, subject_ref, period_key, institution_id, to_timestamp(due_ms / 1000.0),
                amount, currency, reason, $11 FROM input
         ON CONFLICT (alert_key) DO UPDATE SET due_from = EXCLUDED.due_from, updated_at = now(),
           status = CASE WHEN r.status = 'cancelled' THEN 'pending' ELSE r.status END
         RETURNING r.*
       )
       SELECT a.alert_key, a.kind, a.customer_id, a.subject_ref, a.period_key, a.institution_id, a.due_from,
              a.amount::text AS amount, a.currency, a.reason, a.source_event_id,
              (b.alert_key IS NULL OR b.status <> 'pending' OR b.due_from <> a.due_from) AS reschedule,
              (b.status = 'pending' AND b.due_from <> a.due_from) IS TRUE AS replacing
         FROM after a LEFT JOIN before b USING (alert_key)
        WHERE a.status = 'pending'`,
      [
        rows.map(([key]) => key),
        rows.map(([, p]) => p.kind),
        rows.map(([, p]) => p.customerId),
        rows.map(([, p]) => p.subjectRef),
        rows.map(([, p]) => p.dueDate),
        rows.map(([, p]) => p.institutionId),
        rows.map(([, p]) => p.dueFrom),
        rows.map(([, p]) => p.amount?.amount ?? null),
        rows.map(([, p]) => p.amount?.currency ?? null),
        rows.map(([, p]) => p.reason),
        sourceEventId,
      ],
    );
    return pending.map(({ reschedule, replacing, ...row }) => ({ row, reschedule, replacing }));
  }

  /** The customers' pending reminders. */
  async pendingOf(tx: EntityManager, customerIds: readonly string[]): Promise<ReminderRow[]> {
    return tx.query(
      `SELECT alert_key, kind, customer_id, subject_ref, period_key, institution_id, due_from,
              amount::text AS amount, currency, reason, source_event_id
         FROM "${schemaOf(tx.connection)}".reminder
        WHERE customer_id = ANY($1) AND status = 'pending'`,
      [customerIds],
    );
  }

  /**
   * Marks raised those of the reminders that are still pending. Locked in key order: another batch may be
   * raising some of the same customers' reminders at the same time, and two that locked them in different
   * orders would deadlock.
   */
  async markAllRaised(tx: EntityManager, alertKeys: readonly string[]): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `UPDATE "${s}".reminder r SET status = 'raised', updated_at = now()
         FROM (SELECT alert_key FROM "${s}".reminder WHERE alert_key = ANY($1) AND status = 'pending'
                ORDER BY alert_key FOR UPDATE) due
        WHERE r.alert_key = due.alert_key`,
      [alertKeys],
    );
  }

  /** One reminder, locked: null when unknown (its transaction may not have committed yet). */
  async lock(tx: EntityManager, alertKey: string): Promise<(ReminderRow & { status: string }) | null> {
    const rows: (ReminderRow & { status: string })[] = await tx.query(
      `SELECT *, amount::text AS amount FROM "${schemaOf(tx.connection)}".reminder WHERE alert_key = $1 FOR UPDATE`,
      [alertKey],
    );
    return rows[0] ?? null;
  }

  /** Cancels a subject's pending reminders of the given kinds, except those to keep; the keys cancelled. */
  async cancel(
    tx: EntityManager,
    subjectRef: string,
    kinds: readonly AlertKind[],
    keep: readonly string[] = [],
  ): Promise<string[]> {
    const [rows]: [{ alert_key: string }[]] = await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".reminder SET status = 'cancelled', updated_at = now()
        WHERE subject_ref = $1 AND status = 'pending' AND kind = ANY($2) AND NOT (alert_key = ANY($3))
        RETURNING alert_key`,
      [subjectRef, kinds, keep],
    );
    return rows.map((r) => r.alert_key);
  }

  /** Pending reminders already due by the wall clock, oldest first. */
  async dueKeys(now: Date, limit: number): Promise<string[]> {
    const rows: { alert_key: string }[] = await this.dataSource.query(
      `SELECT alert_key FROM "${schemaOf(this.dataSource)}".reminder
        WHERE status = 'pending' AND due_from <= $1 ORDER BY due_from LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.alert_key);
  }

  /** Every pending reminder, in pages: to re-create delayed jobs after Redis lost them. */
  async pendingPage(afterKey: string, limit: number): Promise<{ alert_key: string; due_from: Date }[]> {
    return this.dataSource.query(
      `SELECT alert_key, due_from FROM "${schemaOf(this.dataSource)}".reminder
        WHERE status = 'pending' AND alert_key > $1 ORDER BY alert_key LIMIT $2`,
      [afterKey, limit],
    );
  }
}
