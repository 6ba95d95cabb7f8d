import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InstitutionLevel, ManagerRole } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

export interface InstitutionRow {
  institutionId: string;
  name: string;
  level: InstitutionLevel;
  parentId: string | null;
  regionCode: string;
  active: boolean;
  updatedAt: string;
  updatedBy: string;
}

export interface ManagerRow {
  managerId: string;
  name: string;
  institutionId: string;
  roles: ManagerRole[];
  active: boolean;
  updatedAt: string;
  updatedBy: string;
}

const INSTITUTION_COLUMNS = `id AS "institutionId", name, level, parent_id AS "parentId", region_code AS "regionCode",
  active, to_json(updated_at)#>>'{}' AS "updatedAt", updated_by AS "updatedBy"`;
const MANAGER_COLUMNS = `id AS "managerId", name, institution_id AS "institutionId", roles, active,
  to_json(updated_at)#>>'{}' AS "updatedAt", updated_by AS "updatedBy"`;

/**
 * The institution tree and managers as core banking publishes them (corebank.organisation). The tree is
 * not customer data: every authenticated caller may read it.
 */
@Injectable()
export class OrganisationRepository {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = schemaOf(dataSource);
  }

  async upsertInstitution(tx: EntityManager, row: Omit<InstitutionRow, 'updatedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".institution (id, name, level, parent_id, region_code, active, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
       ON CONFLICT (id) DO UPDATE SET name = $2, level = $3, parent_id = $4, region_code = $5, active = $6,
         updated_at = now(), updated_by = $7`,
      [row.institutionId, row.name, row.level, row.parentId, row.regionCode, row.active, row.updatedBy],
    );
  }

  async upsertManager(tx: EntityManager, row: Omit<ManagerRow, 'updatedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.s}".manager (id, name, institution_id, roles, active, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (id) DO UPDATE SET name = $2, institution_id = $3, roles = $4, active = $5,
         updated_at = now(), updated_by = $6`,
      [row.managerId, row.name, row.institutionId, row.roles, row.active, row.updatedBy],
    );
  }

  async findInstitution(
    id: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<InstitutionRow | null> {
    const rows: InstitutionRow[] = await tx.query(
      `SELECT ${INSTITUTION_COLUMNS} FROM "${this.s}".institution WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findManager(id: string, tx: EntityManager = this.dataSource.manager): Promise<ManagerRow | null> {
    const rows: ManagerRow[] = await tx.query(
      `SELECT ${MANAGER_COLUMNS} FROM "${this.s}".manager WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Keyset page of institutions ordered by id, optionally only one subtree. */
  async listInstitutions(
    limit: number,
    after: string | null,
    under: string | null,
  ): Promise<InstitutionRow[]> {
    const params: unknown[] = [limit + 1, after];
    const subtree = under ? `AND id IN (SELECT id FROM (${this.subtreeSql('$3')}) t)` : '';
    if (under) params.push(under);
    return this.dataSource.query(
      `SELECT ${INSTITUTION_COLUMNS} FROM "${this.s}".institution
       WHERE ($2::text IS NULL OR id > $2) ${subtree} ORDER BY id LIMIT $1`,
      params,
    );
  }

  async listManagers(
    limit: number,
    after: string | null,
    institutionId: string | null,
  ): Promise<ManagerRow[]> {
    return this.dataSource.query(
      `SELECT ${MANAGER_COLUMNS} FROM "${this.s}".manager
       WHERE ($2::text IS NULL OR id > $2) AND ($3::text IS NULL OR institution_id = $3) ORDER BY id LIMIT $1`,
      [limit + 1, after, institutionId],
    );
  }

  /** The institution and all its descendants; empty when the institution is unknown. */
  async subtreeOf(institutionId: string, tx: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(this.subtreeSql('$1'), [institutionId]);
    return rows.map((r) => r.id);
  }

  /** Whether `ancestorId` is `institutionId` or one of its ancestors. */
  async isWithin(institutionId: string, ancestorId: string, tx?: EntityManager): Promise<boolean> {
    return (await this.subtreeOf(ancestorId, tx)).includes(institutionId);
  }

  // UNION (not UNION ALL) stops at a cycle that a bad correction could create.
  private subtreeSql(root: string): string {
    return `WITH RECURSIVE tree(id) AS (
        SELECT id FROM "${this.s}".institution WHERE id = ${root}
        UNION SELECT i.id FROM "${this.s}".institution i JOIN tree t ON i.parent_id = t.id
      ) SELECT id FROM tree`;
  }
}
