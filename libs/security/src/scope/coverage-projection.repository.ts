import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  CoverageChangedPayload,
  InstitutionUpsertedPayload,
  ManagerRole,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import type { CustomerCoverage } from './data-scope';
import type { ScopeColumns } from './scope-predicate';

/**
 * A service's own copies of coverage (crm.assignment) and of the organisation (corebank.organisation),
 * in the tables `coverageProjectionTablesSql` creates: what data scope and routing to managers need.
 */
@Injectable()
export class CoverageProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keeps the highest version: an older or repeated CoverageChanged changes nothing. Whether it
   * changed the customer's coverage.
   */
  async upsertCoverage(tx: EntityManager, c: CoverageChangedPayload): Promise<boolean> {
    const changed: unknown[] = await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".coverage AS c
         (customer_id, version, primary_institution_id, primary_manager_id, private_banker_id, secondary, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (customer_id) DO UPDATE SET version = EXCLUDED.version,
         primary_institution_id = EXCLUDED.primary_institution_id, primary_manager_id = EXCLUDED.primary_manager_id,
         private_banker_id = EXCLUDED.private_banker_id, secondary = EXCLUDED.secondary, changed_at = EXCLUDED.changed_at
       WHERE c.version < EXCLUDED.version
       RETURNING 1`,
      [
        c.customerId,
        c.version,
        c.primary?.institutionId ?? null,
        c.primary?.managerId ?? null,
        c.privateBankerId,
        JSON.stringify(c.secondary.map((s) => ({ institutionId: s.institutionId, managerId: s.managerId }))),
        c.changedAt,
      ],
    );
    return changed.length > 0;
  }

  /** The coverage of each customer that has one. */
  async coverageOf(
    tx: EntityManager,
    customerIds: readonly string[],
  ): Promise<Map<string, CustomerCoverage>> {
    const rows: {
      customer_id: string;
      primary_institution_id: string | null;
      primary_manager_id: string | null;
      private_banker_id: string | null;
      secondary: { institutionId: string; managerId: string | null }[];
    }[] = await tx.query(
      `SELECT customer_id, primary_institution_id, primary_manager_id, private_banker_id, secondary
         FROM "${schemaOf(tx.connection)}".coverage WHERE customer_id = ANY($1)`,
      [customerIds],
    );
    return new Map(
      rows.map((r) => [
        r.customer_id,
        {
          primaryInstitutionId: r.primary_institution_id,
          primaryManagerId: r.primary_manager_id,
          privateBankerId: r.private_banker_id,
          secondary: r.secondary,
        },
      ]),
    );
  }

  async upsertInstitution(tx: EntityManager, i: InstitutionUpsertedPayload): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".institution (institution_id, parent_id, level, name, active)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (institution_id) DO UPDATE SET parent_id = EXCLUDED.parent_id, level = EXCLUDED.level,
         name = EXCLUDED.name, active = EXCLUDED.active`,
      [i.institutionId, i.parentId, i.level, i.name, i.active],
    );
  }

  async upsertManager(tx: EntityManager, m: ManagerUpsertedPayload): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".manager (manager_id, institution_id, roles, active)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (manager_id) DO UPDATE SET institution_id = EXCLUDED.institution_id, roles = EXCLUDED.roles,
         active = EXCLUDED.active`,
      [m.managerId, m.institutionId, m.roles, m.active],
    );
  }

  /**
   * The active head of each institution that has one (lowest id when several), whose queue takes the
   * customers no manager covers.
   */
  async headsOf(tx: EntityManager, institutionIds: readonly string[]): Promise<Map<string, string>> {
    const rows: { institution_id: string; manager_id: string }[] = await tx.query(
      `SELECT DISTINCT ON (institution_id) institution_id, manager_id FROM "${schemaOf(tx.connection)}".manager
        WHERE institution_id = ANY($1) AND active AND $2 = ANY(roles) ORDER BY institution_id, manager_id`,
      [institutionIds, ManagerRole.InstitutionHead],
    );
    return new Map(rows.map((r) => [r.institution_id, r.manager_id]));
  }

  async institutionExists(institutionId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "${schemaOf(this.dataSource)}".institution WHERE institution_id = $1`,
      [institutionId],
    );
    return rows.length > 0;
  }
}

/** DDL of the projection's tables (institution, manager, coverage) in a service's schema, for its migration. */
export const coverageProjectionTablesSql = (schema: string): string[] => [
  `CREATE TABLE "${schema}".coverage (
     customer_id text PRIMARY KEY,
     version int NOT NULL,
     primary_institution_id text,
     primary_manager_id text,
     private_banker_id text,
     secondary jsonb NOT NULL DEFAULT '[]',
     changed_at timestamptz NOT NULL
   )`,
  `CREATE TABLE "${schema}".institution (
     institution_id text PRIMARY KEY,
     parent_id text,
     level text NOT NULL,
     name text NOT NULL,
     active boolean NOT NULL
   )`,
  `CREATE INDEX institution_parent_idx ON "${schema}".institution (parent_id)`,
  `CREATE TABLE "${schema}".manager (
     manager_id text PRIMARY KEY,
     institution_id text NOT NULL,
     roles text[] NOT NULL,
     active boolean NOT NULL
   )`,
  `CREATE INDEX manager_institution_idx ON "${schema}".manager (institution_id)`,
];

/**
 * Where the projection records who covers the customer of a row whose customer id is `customerIdColumn`:
 * the primary institution and manager, the private banker, and every secondary institution and manager.
 */
export const coverageProjectionScopeColumns = (schema: string, customerIdColumn: string): ScopeColumns => {
  const primary = (column: string) => ({
    from: `"${schema}".coverage cv`,
    where: `cv.customer_id = ${customerIdColumn}`,
    column: `cv.${column}`,
  });
  const secondary = (field: string) => ({
    from: `"${schema}".coverage cv CROSS JOIN LATERAL jsonb_array_elements(cv.secondary) sec`,
    where: `cv.customer_id = ${customerIdColumn}`,
    column: `sec->>'${field}'`,
  });
  return {
    institutions: [primary('primary_institution_id'), secondary('institutionId')],
    managers: [primary('primary_manager_id'), primary('private_banker_id'), secondary('managerId')],
  };
};
