import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DEFAULT_ALERT_SEVERITY, EventTypes, Topics, type AlertRaisedPayload } from '@crm/contracts';
import { OutboxWriter } from '@crm/messaging';
import { schemaOf } from '@crm/persistence';
import { routeAlert, primaryInstitutionOf } from '../coverage/alert-routing';
import { CoverageRepository } from '../coverage/coverage.repository';
import { alertKeyOf, type AlertCandidate } from '../rules/rule.types';
import { AlertMetrics } from './alert-metrics';
import { AlertRepository } from './alert.repository';

/** Postgres channel the SSE stream listens on; per schema, so test schemas do not hear each other. */
export const alertChannelOf = (schema: string): string => `${schema}_alert_raised`;

/**
 * Stores an alert once (its key is unique), routes it, and in the same transaction emits AlertRaised
 * through the outbox and a NOTIFY for live streams (delivered only if the transaction commits).
 */
@Injectable()
export class AlertRaiser {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly coverage: CoverageRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: AlertMetrics,
  ) {}

  async raise(
    tx: EntityManager,
    candidates: readonly AlertCandidate[],
    sourceEventIds: string[],
  ): Promise<number> {
    let raised = 0;
    for (const candidate of candidates) {
      const coverage = await this.coverage.coverageOf(tx, candidate.customerId);
      const head = await this.coverage.headOf(tx, primaryInstitutionOf(coverage, candidate.institutionId));
      const route = routeAlert(coverage, candidate.institutionId, head);
      const row = await this.alerts.insertOnce(
        tx,
        {
          ...candidate,
          key: alertKeyOf(candidate),
          severity: DEFAULT_ALERT_SEVERITY[candidate.kind],
          sourceEventIds,
        },
        route,
      );
      if (!row) continue;
      const payload: AlertRaisedPayload = {
        alertId: row.id,
        kind: candidate.kind,
        customerId: candidate.customerId,
        subjectRef: candidate.subjectRef,
        periodKey: candidate.periodKey,
        severity: row.severity,
        ...(candidate.amount ? { amount: candidate.amount } : {}),
        institutionId: route.institutionId,
        ...(route.managerId ? { managerId: route.managerId } : {}),
        raisedAt: row.raised_at.toISOString(),
        reason: row.reason,
        ...(sourceEventIds.length > 0 ? { sourceEventIds: sourceEventIds.slice(0, 100) } : {}),
      };
      await this.outbox.add(tx, {
        topic: Topics.CrmAlert,
        type: EventTypes.AlertRaised,
        subject: candidate.customerId,
        data: payload,
      });
      await tx.query(`SELECT pg_notify($1, $2)`, [alertChannelOf(schemaOf(tx.connection)), row.id]);
      this.metrics.alertRaised(candidate.kind);
      raised++;
    }
    return raised;
  }
}
