import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertKind, AlertSeverity } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { type DataScope, type ScopeColumns, scopePredicate } from '@crm/security';
import type { AlertRoute } from '../coverage/alert-routing';
import type { AlertCandidate } from '../rules/rule.types';

export const AlertStatus = { Open: 'open', Acknowledged: 'acknowledged', Resolved: 'resolved' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

export interface AlertRow {
  id: string;
  alert_key: string;
  kind: AlertKind;
  customer_id: string;
  subject_ref: string;
  period_key: string;
  severity: AlertSeverity;
  amount: string | null;
  currency: string | null;
  institution_id: string;
  manager_id: string | null;
  routed_to: string;
  secondary_institution_id: string | null;
  secondary_manager_id: string | null;
  reason: string;
  source_event_ids: string[];
  occurred_at: Date;
  raised_at: Date;
  status: AlertStatus;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  outcome: string | null;
}

export interface AlertFilter {
  kind?: string;
  status?: string;
  customerId?: string;
  from?: string;
  to?: string;
  /** Keyset: the last row of the previous page. */
  after?: { raisedAt: string; id: string };
  limit: number;
}

/**
 * Who an alert is for: the institutions and managers it was routed to, and the customer's private
 * banker (from the coverage projection), who sees every alert of the customers they look after.
 */
const alertScopeColumns = (schema: string): ScopeColumns => ({
  institutions: ['institution_id', 'secondary_institution_id'],
  managers: [
    'manager_id',
    'secondary_manager_id',
    {
      from: `"${schema}".coverage cv`,
      where: 'cv.customer_id = alert.customer_id',
      column: 'cv.private_banker_id',
    },
  ],
});

/** An alert to store, routed. */
export interface NewAlert {
  alert: AlertCandidate & { key: string; severity: AlertSeverity; sourceEventIds: string[] };
  route: AlertRoute;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get table(): string {
    return `"${schemaOf(this.dataSource)}".alert`;
  }

  private inScope(scope: DataScope, params: SqlParams): string {
    return scopePredicate(scope, alertScopeColumns(schemaOf(this.dataSource)), params);
  }

  /**
   * Inserts the alerts whose keys do not exist yet, in one statement; returns the rows it created. Keys
   * must be distinct.
   */
  async insertNew(tx: EntityManager, alerts: readonly NewAlert[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    return tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".alert
         (alert_key, kind, customer_id, subject_ref, period_key, severity, amount, currency, institution_id,
          manager_id, routed_to, secondary_institution_id, secondary_manager_id, reason, source_event_ids, occurred_at)
       SELECT alert_key, kind, customer_id, subject_ref, period_key, severity, amount, currency, institution_id,
              manager_id, routed_to, secondary_institution_id, secondary_manager_id, reason, source_event_ids,
              to_timestamp(occurred_ms / 1000.0)
         FROM json_to_recordset($1::json) AS a(
           alert_key text, kind text, customer_id text, subject_ref text, period_key text, severity text,
           amount numeric, currency text, institution_id text, manager_id text, routed_to text,
           secondary_institution_id text, secondary_manager_id text, reason text, source_event_ids text[],
           occurred_ms float8)
       ON CONFLICT (alert_key) DO NOTHING
       RETURNING *, amount::text AS amount`,
      [
        JSON.stringify(
          alerts.map(({ alert, route }) => ({
            alert_key: alert.key,
            kind: alert.kind,
            customer_id: alert.customerId,
            subject_ref: alert.subjectRef,
            period_key: alert.periodKey,
            severity: alert.severity,
            amount: alert.amount?.amount ?? null,
            currency: alert.amount?.currency ?? null,
            institution_id: route.institutionId,
            manager_id: route.managerId,
            routed_to: route.routedTo,
            secondary_institution_id: route.secondaryInstitutionId,
            secondary_manager_id: route.secondaryManagerId,
            reason: alert.reason.slice(0, 500),
            source_event_ids: alert.sourceEventIds,
            occurred_ms: alert.occurredAt,
          })),
        ),
      ],
    );
  }

  /** Newest first, keyset on (raised_at, id). */
  async list(scope: DataScope, filter: AlertFilter): Promise<AlertRow[]> {
    const p = new SqlParams();
    const where = [this.inScope(scope, p)];
    if (filter.kind) where.push(`kind = ${p.add(filter.kind)}`);
    if (filter.status) where.push(`status = ${p.add(filter.status)}`);
    if (filter.customerId) where.push(`customer_id = ${p.add(filter.customerId)}`);
    if (filter.from) where.push(`raised_at >= ${p.add(filter.from)}`);
    if (filter.to) where.push(`raised_at < ${p.add(filter.to)}`);
    if (filter.after) {
      where.push(
        `(raised_at, id) < (${p.add(filter.after.raisedAt)}::timestamptz, ${p.add(filter.after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT *, amount::text AS amount FROM ${this.table} WHERE ${where.join(' AND ')}
        ORDER BY raised_at DESC, id DESC LIMIT ${p.add(filter.limit)}`,
      p.values,
    );
  }

  async countsByKind(scope: DataScope, status?: string): Promise<{ kind: string; count: number }[]> {
    const p = new SqlParams();
    const where = [this.inScope(scope, p)];
    if (status) where.push(`status = ${p.add(status)}`);
    return this.dataSource.query(
      `SELECT kind, count(*)::int AS count FROM ${this.table} WHERE ${where.join(' AND ')} GROUP BY kind ORDER BY kind`,
      p.values,
    );
  }

  async findOne(scope: DataScope, id: string): Promise<AlertRow | null> {
    const p = new SqlParams();
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT *, amount::text AS amount FROM ${this.table} WHERE id = ${p.add(id)} AND ${this.inScope(scope, p)}`,
      p.values,
    );
    return rows[0] ?? null;
  }

  /** Those of `ids` that the scope sees. */
  async visibleAmong(scope: DataScope, ids: readonly string[]): Promise<Set<string>> {
    const p = new SqlParams();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ${this.table} WHERE id = ANY(${p.add(ids)}::uuid[]) AND ${this.inScope(scope, p)}`,
      p.values,
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * The ids of alerts raised since `since`, oldest first: ids only, which a live stream re-reads
   * through each subscriber's scope (findOne).
   */
  async idsRaisedSince(since: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ${this.table} WHERE raised_at >= $1 ORDER BY raised_at, id LIMIT $2`,
      [since, limit],
    );
    return rows.map((row) => row.id);
  }

  async acknowledge(tx: EntityManager, scope: DataScope, id: string, by: string): Promise<AlertRow | null> {
    const p = new SqlParams();
    const [rows]: [AlertRow[]] = await tx.query(
      `UPDATE ${this.table} SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ${p.add(by)}
        WHERE id = ${p.add(id)} AND status = 'open' AND ${this.inScope(scope, p)}
        RETURNING *, amount::text AS amount`,
      p.values,
    );
    return rows[0] ?? null;
  }

  async resolve(
    tx: EntityManager,
    scope: DataScope,
    id: string,
    by: string,
    outcome: string,
  ): Promise<AlertRow | null> {
    const p = new SqlParams();
    const actor = p.add(by);
    const [rows]: [AlertRow[]] = await tx.query(
      `UPDATE ${this.table} SET status = 'resolved', resolved_at = now(), resolved_by = ${actor}, outcome = ${p.add(outcome)},
              acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, ${actor})
        WHERE id = ${p.add(id)} AND status <> 'resolved' AND ${this.inScope(scope, p)}
        RETURNING *, amount::text AS amount`,
      p.values,
    );
    return rows[0] ?? null;
  }

  /** A customer's open alerts in a head's queue for want of a manager, locked until the transaction ends. */
  async openInHeadQueue(
    tx: EntityManager,
    customerId: string,
  ): Promise<Pick<AlertRow, 'id' | 'institution_id' | 'secondary_institution_id'>[]> {
    return tx.query(
      `SELECT id, institution_id, secondary_institution_id FROM "${schemaOf(tx.connection)}".alert
        WHERE customer_id = $1 AND status = 'open' AND routed_to = 'institution-head' FOR UPDATE`,
      [customerId],
    );
  }

  /** Routes an alert anew while it is still open and in a head's queue. */
  async reroute(tx: EntityManager, id: string, route: AlertRoute): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".alert SET institution_id = $2, manager_id = $3, routed_to = $4,
              secondary_institution_id = $5, secondary_manager_id = $6
        WHERE id = $1 AND status = 'open' AND routed_to = 'institution-head'`,
      [
        id,
        route.institutionId,
        route.managerId,
        route.routedTo,
        route.secondaryInstitutionId,
        route.secondaryManagerId,
      ],
    );
  }
}
