import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, ownerScopeColumns, scopePredicate } from '@crm/security';

export interface ProspectRow {
  id: string;
  kind: string;
  name: string;
  gender: string | null;
  birth_date: string | null;
  region_code: string | null;
  id_number_enc: string | null;
  phone_enc: string | null;
  note: string | null;
  institution_id: string;
  manager_id: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  matched_customer_id: string | null;
  matched_at: Date | null;
  match_method: string | null;
  matched_by: string | null;
}

/** Stored prospect columns (PII already encrypted and hashed by the caller). */
export interface ProspectColumns {
  name?: string;
  gender?: string | null;
  birth_date?: string | null;
  region_code?: string | null;
  id_number_enc?: string | null;
  id_number_hash?: string | null;
  phone_enc?: string | null;
  phone_hash?: string | null;
  note?: string | null;
}

const COLUMNS = `id, kind, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, region_code, id_number_enc,
  phone_enc, note, institution_id, manager_id, created_by, created_at, updated_at, matched_customer_id, matched_at,
  match_method, matched_by`;

@Injectable()
export class ProspectRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    row: ProspectColumns & {
      id: string;
      kind: string;
      name: string;
      institution_id: string;
      manager_id: string | null;
      created_by: string;
    },
  ): Promise<void> {
    const s = schemaOf(manager.connection);
    await manager.query(
      `INSERT INTO "${s}".prospect (id, kind, name, gender, birth_date, region_code, id_number_enc, id_number_hash,
         phone_enc, phone_hash, note, institution_id, manager_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), now())`,
      [
        row.id,
        row.kind,
        row.name,
        row.gender ?? null,
        row.birth_date ?? null,
        row.region_code ?? null,
        row.id_number_enc ?? null,
        row.id_number_hash ?? null,
        row.phone_enc ?? null,
        row.phone_hash ?? null,
        row.note ?? null,
        row.institution_id,
        row.manager_id,
        row.created_by,
      ],
    );
  }

  async findInScope(
    id: string,
    scope: DataScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProspectRow | undefined> {
    // A prospect belongs to the institution and manager who recorded it.
    const p = new SqlParams();
    const [row] = (await manager.query(
      `SELECT ${COLUMNS} FROM "${schemaOf(manager.connection)}".prospect
        WHERE id = ${p.add(id)} AND ${scopePredicate(scope, ownerScopeColumns(), p)} FOR UPDATE`,
      p.values,
    )) as ProspectRow[];
    return row;
  }

  async update(manager: EntityManager, id: string, columns: ProspectColumns): Promise<void> {
    const entries = Object.entries(columns).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    const set = entries.map(([column], i) => `${column} = $${i + 2}`).join(', ');
    await manager.query(
      `UPDATE "${schemaOf(manager.connection)}".prospect SET ${set}, updated_at = now() WHERE id = $1`,
      [id, ...entries.map(([, v]) => v)],
    );
  }

  async recordMatch(manager: EntityManager, id: string, customerId: string, userId: string): Promise<void> {
    await manager.query(
      `UPDATE "${schemaOf(manager.connection)}".prospect SET matched_customer_id = $2, matched_at = now(),
         match_method = 'manual', matched_by = $3, updated_at = now() WHERE id = $1`,
      [id, customerId, userId],
    );
  }

  /** A core customer arrived: unmatched prospects with the same ID number's keyed hash become that customer. */
  async matchByIdNumberHash(
    tx: EntityManager,
    idNumberHash: string,
    customerId: string,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".prospect SET matched_customer_id = $2, matched_at = $3,
         match_method = 'id-number-hash', updated_at = $3
       WHERE id_number_hash = $1 AND matched_customer_id IS NULL`,
      [idNumberHash, customerId, at],
    );
  }
}
