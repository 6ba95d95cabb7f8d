import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, ownerScopeColumns, scopePredicate } from '@crm/security';

export interface VisitRow {
  visitId: string;
  customerId: string;
  managerId: string;
  institutionId: string;
  visitedAt: string;
  content: string;
  latitude: string;
  longitude: string;
  recordedAt: string;
}

export interface VisitShortfallRow {
  customerId: string;
  loanOutstanding: string;
  managerId: string;
  institutionId: string;
  role: 'primary' | 'secondary';
  visits: number;
}

const VISIT_COLUMNS = `id AS "visitId", customer_id AS "customerId", manager_id AS "managerId",
  institution_id AS "institutionId", to_json(visited_at)#>>'{}' AS "visitedAt", content,
  latitude::text AS latitude, longitude::text AS longitude, to_json(recorded_at)#>>'{}' AS "recordedAt"`;

/**
 * Visits and the visit-duty report. Scope for visits: a manager their own, a head those recorded by managers
 * of their subtree, head office all. For the duty report: a manager their own duties, a head the duties at
 * institutions of their subtree.
 */
@Injectable()
export class VisitRepository {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = schemaOf(dataSource);
  }

  async insert(visit: Omit<VisitRow, 'recordedAt'>): Promise<VisitRow> {
    const rows: VisitRow[] = await this.dataSource.query(
      `INSERT INTO "${this.s}".visit (id, customer_id, manager_id, institution_id, visited_at, content, latitude, longitude)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${VISIT_COLUMNS}`,
      [
        visit.visitId,
        visit.customerId,
        visit.managerId,
        visit.institutionId,
        visit.visitedAt,
        visit.content,
        visit.latitude,
        visit.longitude,
      ],
    );
    return rows[0];
  }

  /** Newest first; `after` is the (visitedAt, id) of the last row of the previous page. */
  async list(
    scope: DataScope,
    filter: { managerId?: string; customerId?: string },
    limit: number,
    after: [string, string] | null,
  ): Promise<VisitRow[]> {
    const p = new SqlParams();
    const where = [scopePredicate(scope, ownerScopeColumns(), p)];
    if (filter.managerId) where.push(`manager_id = ${p.add(filter.managerId)}`);
    if (filter.customerId) where.push(`customer_id = ${p.add(filter.customerId)}`);
    if (after) where.push(`(visited_at, id) < (${p.add(after[0])}::timestamptz, ${p.add(after[1])}::uuid)`);
    return this.dataSource.query(
      `SELECT ${VISIT_COLUMNS} FROM "${this.s}".visit WHERE ${where.join(' AND ')}
       ORDER BY visited_at DESC, id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
  }

  /**
   * Covering managers of customers whose outstanding loans exceed the threshold, with fewer visits to that
   * customer in the month (its span of instants in the bank's calendar) than required; by customer, then
   * manager, then institution.
   */
  async shortfalls(
    scope: DataScope,
    month: { start: number; end: number },
    loanThreshold: string,
    requiredVisits: number,
    limit: number,
    after: [string, string, string] | null,
  ): Promise<VisitShortfallRow[]> {
    const p = new SqlParams();
    const start = `${p.add(new Date(month.start))}::timestamptz`;
    const end = `${p.add(new Date(month.end))}::timestamptz`;
    const threshold = p.add(loanThreshold);
    const required = p.add(requiredVisits);
    const where = [scopePredicate(scope, ownerScopeColumns('m'), p)];
    if (after)
      where.push(
        `(m.customer_id, m.manager_id, m.institution_id) > (${p.add(after[0])}, ${p.add(after[1])}, ${p.add(after[2])})`,
      );
    return this.dataSource.query(
      `WITH borrower AS (
         SELECT customer_id, sum(outstanding) AS total FROM "${this.s}".loan WHERE NOT settled
         GROUP BY customer_id HAVING sum(outstanding) > ${threshold}::numeric
       )
       SELECT m.customer_id AS "customerId", b.total::text AS "loanOutstanding", m.manager_id AS "managerId",
              m.institution_id AS "institutionId", m.role, c.visits
       FROM "${this.s}".coverage_member m
       JOIN borrower b ON b.customer_id = m.customer_id
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS visits FROM "${this.s}".visit v
         WHERE v.customer_id = m.customer_id AND v.manager_id = m.manager_id
           AND v.visited_at >= ${start} AND v.visited_at < ${end}
       ) c
       WHERE m.manager_id IS NOT NULL AND c.visits < ${required}::int ${where.map((w) => `AND ${w}`).join(' ')}
       ORDER BY m.customer_id, m.manager_id, m.institution_id LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
  }
}
