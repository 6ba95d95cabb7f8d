import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CoverageChangedPayload } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { customerScopeColumns } from '../scope/assignment-scope';
import { ManagerPin } from './coverage.rule';

export type ActorKind = 'system' | 'user';

export interface PinRow extends ManagerPin {
  pinnedBy: string;
  pinnedAt: string;
  reason: string;
}

export interface CoverageHistoryRow {
  version: number;
  changedAt: string;
  changedBy: string;
  actorKind: ActorKind;
  reason: string;
  coverage: CoverageChangedPayload;
}

/** Coverage as it now is (one row per customer plus one per covering institution), its history and pins. */
@Injectable()
export class CoverageRepository {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = schemaOf(dataSource);
  }

  async current(tx: EntityManager, customerId: string): Promise<CoverageChangedPayload | null> {
    const rows: { coverage: CoverageChangedPayload }[] = await tx.query(
      `SELECT coverage FROM "${this.s}".customer_coverage WHERE customer_id = $1`,
      [customerId],
    );
    return rows[0]?.coverage ?? null;
  }

  async pinsOf(tx: EntityManager, customerId: string): Promise<PinRow[]> {
    return tx.query(`${this.pinsSelect} ORDER BY institution_id`, [customerId]);
  }

  /** The coverage in force and the pins, in one round trip: the rules recompute them for every event. */
  async currentWithPins(
    tx: EntityManager,
    customerId: string,
  ): Promise<{ current: CoverageChangedPayload | null; pins: PinRow[] }> {
    const [row]: { current: CoverageChangedPayload | null; pins: PinRow[] }[] = await tx.query(
      `SELECT (SELECT coverage FROM "${this.s}".customer_coverage WHERE customer_id = $1) AS current,
              (SELECT COALESCE(json_agg(p ORDER BY p."institutionId"), '[]') FROM (${this.pinsSelect}) p) AS pins`,
      [customerId],
    );
    return row;
  }

  /** A customer's ($1) pins as PinRow columns. */
  private get pinsSelect(): string {
    return `SELECT institution_id AS "institutionId", manager_id AS "managerId", pinned_by AS "pinnedBy",
                   to_json(pinned_at)#>>'{}' AS "pinnedAt", reason
              FROM "${this.s}".manager_pin WHERE customer_id = $1`;
  }

  async savePin(tx: EntityManager, customerId: string, pin: Omit<PinRow, 'pinnedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".manager_pin (customer_id, institution_id, manager_id, pinned_by, pinned_at, reason)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (customer_id, institution_id) DO UPDATE
         SET manager_id = $3, pinned_by = $4, pinned_at = now(), reason = $5`,
      [customerId, pin.institutionId, pin.managerId, pin.pinnedBy, pin.reason],
    );
  }

  async deletePins(tx: EntityManager, customerId: string, institutionIds: string[]): Promise<void> {
    if (institutionIds.length === 0) return;
    await tx.query(
      `DELETE FROM "${this.s}".manager_pin WHERE customer_id = $1 AND institution_id = ANY($2::text[])`,
      [customerId, institutionIds],
    );
  }

  /** Replaces the customer's coverage and appends it to the history, in the caller's transaction. */
  async save(tx: EntityManager, coverage: CoverageChangedPayload, actorKind: ActorKind): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".customer_coverage (customer_id, version, primary_institution_id, primary_manager_id,
         key_customer, private_banker_id, coverage, changed_at, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (customer_id) DO UPDATE SET version = $2, primary_institution_id = $3, primary_manager_id = $4,
         key_customer = $5, private_banker_id = $6, coverage = $7, changed_at = $8, changed_by = $9`,
      [
        coverage.customerId,
        coverage.version,
        coverage.primary?.institutionId ?? null,
        coverage.primary?.managerId ?? null,
        coverage.keyCustomer,
        coverage.privateBankerId,
        coverage,
        coverage.changedAt,
        coverage.changedBy,
      ],
    );
    await tx.query(`DELETE FROM "${this.s}".coverage_member WHERE customer_id = $1`, [coverage.customerId]);
    const members = [
      ...(coverage.primary ? [{ ...coverage.primary, role: 'primary' }] : []),
      ...coverage.secondary.map((m) => ({ ...m, role: 'secondary' })),
    ];
    if (members.length > 0) {
      await tx.query(
        `INSERT INTO "${this.s}".coverage_member (customer_id, institution_id, manager_id, role, reason, basis)
         SELECT $1, m.institution_id, m.manager_id, m.role, m.reason, m.basis
         FROM jsonb_to_recordset($2::jsonb)
           AS m(institution_id text, manager_id text, role text, reason text, basis text)`,
        [
          coverage.customerId,
          JSON.stringify(
            members.map((m) => ({
              institution_id: m.institutionId,
              manager_id: m.managerId,
              role: m.role,
              reason: m.reason,
              basis: m.basis,
            })),
          ),
        ],
      );
    }
    await tx.query(
      `INSERT INTO "${this.s}".coverage_history (customer_id, version, changed_at, changed_by, actor_kind, reason, coverage)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        coverage.customerId,
        coverage.version,
        coverage.changedAt,
        coverage.changedBy,
        actorKind,
        coverage.note,
        coverage,
      ],
    );
  }

  async findInScope(
    customerId: string,
    scope: DataScope,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<CoverageChangedPayload | null> {
    const p = new SqlParams();
    const id = p.add(customerId);
    const rows: { coverage: CoverageChangedPayload }[] = await tx.query(
      `SELECT c.coverage FROM "${this.s}".customer_coverage c
       WHERE c.customer_id = ${id} AND ${scopePredicate(scope, customerScopeColumns(this.s, 'c.customer_id'), p)}`,
      p.values,
    );
    return rows[0]?.coverage ?? null;
  }

  /** Newest first; `beforeVersion` continues a page. Empty when the customer is outside the scope. */
  async historyInScope(
    customerId: string,
    scope: DataScope,
    limit: number,
    beforeVersion: number | null,
  ): Promise<CoverageHistoryRow[]> {
    const p = new SqlParams();
    const id = p.add(customerId);
    const before = p.add(beforeVersion);
    return this.dataSource.query(
      `SELECT h.version, to_json(h.changed_at)#>>'{}' AS "changedAt", h.changed_by AS "changedBy",
              h.actor_kind AS "actorKind", h.reason, h.coverage
       FROM "${this.s}".coverage_history h
       WHERE h.customer_id = ${id} AND (${before}::int IS NULL OR h.version < ${before}::int)
         AND ${scopePredicate(scope, customerScopeColumns(this.s, 'h.customer_id'), p)}
       ORDER BY h.version DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
  }

  /**
   * Customers a manager covers (at any institution, or as private banker) or an institution set covers,
   * intersected with the caller's scope, by customer id.
   */
  async coveredCustomers(
    by: { managerId: string } | { institutionIds: readonly string[] },
    scope: DataScope,
    limit: number,
    afterCustomerId: string | null,
  ): Promise<CoverageChangedPayload[]> {
    const p = new SqlParams();
    const covers =
      'managerId' in by
        ? (() => {
            const m = p.add(by.managerId);
            return `(EXISTS (SELECT 1 FROM "${this.s}".coverage_member cm WHERE cm.customer_id = c.customer_id
                       AND cm.manager_id = ${m}) OR c.private_banker_id = ${m})`;
          })()
        : `EXISTS (SELECT 1 FROM "${this.s}".coverage_member cm WHERE cm.customer_id = c.customer_id
             AND cm.institution_id = ANY(${p.add(by.institutionIds)}::text[]))`;
    const after = p.add(afterCustomerId);
    const rows: { coverage: CoverageChangedPayload }[] = await this.dataSource.query(
      `SELECT c.coverage FROM "${this.s}".customer_coverage c
       WHERE ${covers} AND (${after}::text IS NULL OR c.customer_id > ${after}::text)
         AND ${scopePredicate(scope, customerScopeColumns(this.s, 'c.customer_id'), p)}
       ORDER BY c.customer_id LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    return rows.map((r) => r.coverage);
  }
}
