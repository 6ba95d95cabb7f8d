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

interface VersionRow {
  /** Null: from then on the institution inherits again. */
  parameters: AlertParameters | null;
  effectiveFrom: string;
  /** Rounded up, so that `effectiveFromMs <= at` holds exactly when the instant is at or before `at` (ms). */
  effectiveFromMs: number;
}

interface ChainLink {
  institutionId: string;
  /** Newest first. */
  versions: VersionRow[];
}

const subjectKey = (customerId: string | null, institutionId: string) =>
  `${customerId ?? ''}|${institutionId}`;

/** Institution chains and their override histories, loaded together for the events of a batch. */
export class ParameterHistory {
  constructor(private readonly chains: ReadonlyMap<string, readonly ChainLink[]>) {}

  has(customerId: string | null, institutionId: string): boolean {
    return this.chains.has(subjectKey(customerId, institutionId));
  }

  /** The nearest override up the chain in force at `at` (ms); null parameters mean the bank's defaults. */
  inForce(customerId: string | null, institutionId: string, at: number): ParametersVersion {
    for (const link of this.chains.get(subjectKey(customerId, institutionId)) ?? []) {
      const version = link.versions.find((v) => v.effectiveFromMs <= at);
      if (version?.parameters) {
        return {
          setAt: link.institutionId,
          parameters: version.parameters,
          effectiveFrom: new Date(version.effectiveFrom).toISOString(),
        };
      }
    }
    return { setAt: null, parameters: null, effectiveFrom: null };
  }
}

/**
 * Parameter overrides as an append-only history: each change is a version effective from its commit, so
 * an event is judged by the version in force at its event time, whenever it is processed.
 */
@Injectable()
export class AlertParametersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The parameters in force at `at` for an event at `institutionId` with no customer to climb from. */
  async inForce(
    manager: EntityManager | undefined,
    institutionId: string,
    at: Date,
  ): Promise<ParametersVersion> {
    const history = await this.history(manager ?? this.dataSource.manager, [
      { customerId: null, institutionId },
    ]);
    return history.inForce(null, institutionId, at.getTime());
  }

  /**
   * What judges events of these customers at these institutions, at any time, in one round trip: each one's
   * institution chain (from the customer's primary institution by coverage, or the event's institution when
   * they have none, up to the root) and every version of every override on those chains.
   */
  async history(
    manager: EntityManager,
    subjects: readonly { customerId: string | null; institutionId: string }[],
  ): Promise<ParameterHistory> {
    const s = schemaOf(manager.connection);
    const rows: {
      customer_id: string | null;
      event_institution_id: string;
      institution_id: string;
      versions: VersionRow[] | null;
    }[] = await manager.query(
      `WITH RECURSIVE input AS (
         SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS i(customer_id, event_institution_id)
       ), chain(customer_id, event_institution_id, id, depth) AS (
         SELECT i.customer_id, i.event_institution_id, COALESCE(c.primary_institution_id, i.event_institution_id), 0
           FROM input i LEFT JOIN "${s}".coverage c USING (customer_id)
         UNION ALL
         SELECT c.customer_id, c.event_institution_id, i.parent_id, c.depth + 1
           FROM chain c JOIN "${s}".institution i ON i.institution_id = c.id
          WHERE i.parent_id IS NOT NULL AND c.depth < 16
       )
       SELECT c.customer_id, c.event_institution_id, c.id AS institution_id,
              (SELECT json_agg(json_build_object(
                        'parameters', p.parameters,
                        'effectiveFrom', p.effective_from,
                        'effectiveFromMs', ceil(extract(epoch FROM p.effective_from) * 1000))
                      ORDER BY p.effective_from DESC, p.id DESC)
                 FROM "${s}".alert_parameters p WHERE p.institution_id = c.id) AS versions
         FROM chain c
        ORDER BY c.customer_id, c.event_institution_id, c.depth`,
      [subjects.map((x) => x.customerId), subjects.map((x) => x.institutionId)],
    );
    const chains = new Map<string, ChainLink[]>();
    for (const row of rows) {
      const key = subjectKey(row.customer_id, row.event_institution_id);
      const chain = chains.get(key) ?? [];
      chain.push({ institutionId: row.institution_id, versions: row.versions ?? [] });
      chains.set(key, chain);
    }
    return new ParameterHistory(chains);
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
