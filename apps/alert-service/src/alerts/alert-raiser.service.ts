import { CoverageProjectionRepository } from '@crm/security';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DEFAULT_ALERT_SEVERITY, EventTypes, Topics, type AlertRaisedPayload } from '@crm/contracts';
import { BatchKey, OutboxWriter, type EventBatch, type NewOutboxEvent } from '@crm/messaging';
import { currentContext } from '@crm/observability';
import { schemaOf } from '@crm/persistence';
import { routeAlert, primaryInstitutionOf } from '../coverage/alert-routing';
import { alertKeyOf, type AlertCandidate } from '../rules/rule.types';
import { AlertMetrics } from './alert-metrics';
import { AlertRepository, type NewAlert } from './alert.repository';

/** Postgres channel the SSE stream listens on; per schema, so test schemas do not hear each other. */
export const alertChannelOf = (schema: string): string => `${schema}_alert_raised`;

/** A candidate alert and what it follows from. */
interface Raising {
  candidate: AlertCandidate;
  sourceEventIds: string[];
  /** Of the event being handled, for the AlertRaised event: a batch raises after its handlers return. */
  correlationId?: string;
  traceparent?: string;
}

const BATCH_RAISINGS = new BatchKey<Raising[]>('alert-raiser.raisings');

/**
 * Stores an alert once (its key is unique), routes it, and in the same transaction emits AlertRaised
 * through the outbox and a NOTIFY for live streams (delivered only if the transaction commits).
 */
@Injectable()
export class AlertRaiser {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly coverage: CoverageProjectionRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: AlertMetrics,
  ) {}

  /** Raises the candidates now, in the caller's transaction. */
  async raise(
    tx: EntityManager,
    candidates: readonly AlertCandidate[],
    sourceEventIds: string[],
  ): Promise<void> {
    await this.raiseAll(tx, this.raisings(candidates, sourceEventIds));
  }

  /**
   * Raises the candidates with those of the rest of the batch, just before it commits: a few statements
   * for all of them instead of several per alert.
   */
  raiseInBatch(
    tx: EntityManager,
    batch: EventBatch,
    candidates: readonly AlertCandidate[],
    sourceEventIds: string[],
  ): void {
    const raisings = batch.once(BATCH_RAISINGS, () => {
      const pending: Raising[] = [];
      batch.beforeCommit(() => this.raiseAll(tx, pending));
      return pending;
    });
    raisings.push(...this.raisings(candidates, sourceEventIds));
  }

  private raisings(candidates: readonly AlertCandidate[], sourceEventIds: string[]): Raising[] {
    const context = currentContext();
    return candidates.map((candidate) => ({
      candidate,
      sourceEventIds,
      correlationId: context?.correlationId,
      traceparent: context?.traceparent,
    }));
  }

  private async raiseAll(tx: EntityManager, raisings: readonly Raising[]): Promise<void> {
    // The first candidate of a key counts, as it would have one at a time.
    const byKey = new Map<string, Raising>();
    for (const r of raisings) {
      const key = alertKeyOf(r.candidate);
      if (!byKey.has(key)) byKey.set(key, r);
    }
    if (byKey.size === 0) return;
    const coverage = await this.coverage.coverageOf(tx, [
      ...new Set([...byKey.values()].map((r) => r.candidate.customerId)),
    ]);
    const coverageOf = (r: Raising) => coverage.get(r.candidate.customerId) ?? null;
    const heads = await this.coverage.headsOf(tx, [
      ...new Set(
        [...byKey.values()].map((r) => primaryInstitutionOf(coverageOf(r), r.candidate.institutionId)),
      ),
    ]);
    const toStore: NewAlert[] = [...byKey].map(([key, r]) => {
      const routed = coverageOf(r);
      const head = heads.get(primaryInstitutionOf(routed, r.candidate.institutionId)) ?? null;
      return {
        alert: {
          ...r.candidate,
          key,
          severity: DEFAULT_ALERT_SEVERITY[r.candidate.kind],
          sourceEventIds: r.sourceEventIds,
        },
        route: routeAlert(routed, r.candidate.institutionId, head),
      };
    });
    const stored = await this.alerts.insertNew(tx, toStore);
    if (stored.length === 0) return;
    const events = stored.map((row): NewOutboxEvent<AlertRaisedPayload> => {
      const r = byKey.get(row.alert_key)!;
      const { candidate } = r;
      return {
        topic: Topics.CrmAlert,
        type: EventTypes.AlertRaised,
        subject: candidate.customerId,
        correlationId: r.correlationId,
        traceparent: r.traceparent,
        data: {
          alertId: row.id,
          kind: candidate.kind,
          customerId: candidate.customerId,
          subjectRef: candidate.subjectRef,
          periodKey: candidate.periodKey,
          severity: row.severity,
          ...(candidate.amount ? { amount: candidate.amount } : {}),
          institutionId: row.institution_id,
          ...(row.manager_id ? { managerId: row.manager_id } : {}),
          raisedAt: row.raised_at.toISOString(),
          reason: row.reason,
          ...(r.sourceEventIds.length > 0 ? { sourceEventIds: r.sourceEventIds.slice(0, 100) } : {}),
        },
      };
    });
    await this.outbox.addAll(tx, events);
    await tx.query(`SELECT pg_notify($1, id::text) FROM unnest($2::uuid[]) AS id`, [
      alertChannelOf(schemaOf(tx.connection)),
      stored.map((row) => row.id),
    ]);
    for (const row of stored) this.metrics.alertRaised(row.kind);
  }
}
