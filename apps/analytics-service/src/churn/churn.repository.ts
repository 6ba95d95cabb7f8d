import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChurnReason, ValueTier } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { wholeCustomerScopeColumns } from '../scope/customer-scope';

/** Whose warned customers a list shows: the caller's whole scope, an institution's subtree, a manager's book. */
export type ChurnListOf =
  | { kind: 'scope' }
  | { kind: 'institutions'; institutionIds: readonly string[] }
  | { kind: 'manager'; managerId: string };

export interface ChurnWarningRow {
  customerId: string;
  score: number;
  reasons: { reason: ChurnReason; points: number }[];
  valueTier: ValueTier | null;
  primaryInstitutionId: string | null;
  primaryManagerId: string | null;
}

/** The warned customers of a close of business, each list in the caller's data scope. */
@Injectable()
export class ChurnRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page, highest score first then customer id, after the row `after` (score, customer id). */
  async warned(
    scope: DataScope,
    of: ChurnListOf,
    businessDate: string,
    after: readonly [number, string] | null,
    limit: number,
  ): Promise<ChurnWarningRow[]> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const whose =
      of.kind === 'institutions'
        ? `AND cv.primary_institution_id = ANY(${p.add(of.institutionIds)}::text[])`
        : of.kind === 'manager'
          ? `AND cv.primary_manager_id = ${p.add(of.managerId)}`
          : '';
    const page = after
      ? `AND (p.churn_score < ${p.add(after[0])}::int
              OR (p.churn_score = ${p.add(after[0])}::int AND p.customer_id > ${p.add(after[1])}))`
      : '';
    return this.dataSource.query(
      `SELECT p.customer_id AS "customerId", p.churn_score AS score, p.churn_reasons AS reasons,
              p.value_tier AS "valueTier", cv.primary_institution_id AS "primaryInstitutionId",
              cv.primary_manager_id AS "primaryManagerId"
         FROM "${s}".customer_profile p
         LEFT JOIN "${s}".coverage cv ON cv.customer_id = p.customer_id
        WHERE p.business_date = ${p.add(businessDate)}::date AND p.churn_warned ${whose} ${page}
          AND ${scopePredicate(scope, wholeCustomerScopeColumns(s, 'p.customer_id'), p)}
        ORDER BY p.churn_score DESC, p.customer_id
        LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
  }
}
