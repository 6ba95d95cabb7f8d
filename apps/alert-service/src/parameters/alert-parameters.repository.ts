import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertParameters } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

export interface ParametersVersion {
  /** The institution whose override applies, or null for the bank's defaults. */
  setAt: string | null;
  parameters: AlertParameters | null;
  effectiveFrom: string | null;
}

/**
 * Parameter overrides as an append-only history: each change is a version effective from its commit, so
 * an event is judged by the version in force at its event time, whenever it is processed.
 */
@Injectable()
export class AlertParametersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The nearest override up the institution tree in force at `at`; null parameters mean the bank's defaults.
   * With `customerId`, the tree is climbed from the customer's primary institution (coverage), and from
   * `institutionId` only when they have none: one round trip for what judges each event.
   */
  async inForce(
    manager: EntityManager | undefined,
    institutionId: string,
    at: Date,
    customerId: string | null = null,
  ): Promise<ParametersVersion> {
    const m = manager ?? this.dataSource.manager;
    const s = schemaOf(m.connection);
    const rows: { institution_id: string; parameters: AlertParameters; effective_from: Date }[] =
      await m.query(
        `WITH RECURSIVE chain(id, depth) AS (
         SELECT COALESCE((SELECT primary_institution_id FROM "${s}".coverage WHERE customer_id = $3), $1::text), 0
         UNION ALL
         SELECT i.parent_id, c.depth + 1 FROM chain c JOIN "${s}".institution i ON i.institution_id = c.id
          WHERE i.parent_id IS NOT NULL AND c.depth < 16
       )
       SELECT c.id AS institution_id, p.parameters, p.effective_from
         FROM chain c
         JOIN LATERAL (
           SELECT parameters, effective_from FROM "${s}".alert_parameters
            WHERE institution_id = c.id AND effective_from <= $2
            ORDER BY effective_from DESC, id DESC LIMIT 1
         ) p ON p.parameters IS NOT NULL
        ORDER BY c.depth LIMIT 1`,
        [institutionId, at, customerId],
      );
    if (rows.length === 0) return { setAt: null, parameters: null, effectiveFrom: null };
    return {
      setAt: rows[0].institution_id,
      parameters: rows[0].parameters,
      effectiveFrom: rows[0].effective_from.toISOString(),
    };
  }

  /** Appends a version (null: back to inheriting); returns when it takes effect. */
  async append(
    tx: EntityManager,
    institutionId: string,
    parameters: AlertParameters | null,
    changedBy: string,
  ): Promise<Date> {
    const [row]: { effective_from: Date }[] = await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".alert_parameters (institution_id, parameters, changed_by)
       VALUES ($1, $2, $3) RETURNING effective_from`,
      [institutionId, parameters === null ? null : JSON.stringify(parameters), changedBy],
    );
    return row.effective_from;
  }
}
