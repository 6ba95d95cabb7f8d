import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** The bank's analytics parameters by name (wire names of the `analytics_parameter` rows). */
export const ParameterName = {
  ValueTiers: 'value-tiers',
  ContributionSpreads: 'contribution-spreads',
  PotentialTags: 'potential-tags',
  ChurnWarning: 'churn-warning',
} as const;
export type ParameterName = (typeof ParameterName)[keyof typeof ParameterName];

export interface StoredParameter<T> {
  value: T;
  changedBy: string;
  changedAt: Date;
}

/** Append-only: every change is a row, the latest of a name is in force. */
@Injectable()
export class AnalyticsParameterRepository {
  constructor(private readonly dataSource: DataSource) {}

  async latest<T>(name: ParameterName, tx?: EntityManager): Promise<StoredParameter<T> | null> {
    const manager = tx ?? this.dataSource.manager;
    const rows: { value: T; changed_by: string; changed_at: Date }[] = await manager.query(
      `SELECT value, changed_by, changed_at FROM "${schemaOf(this.dataSource)}".analytics_parameter
        WHERE name = $1 ORDER BY id DESC LIMIT 1`,
      [name],
    );
    return rows.length === 0
      ? null
      : { value: rows[0].value, changedBy: rows[0].changed_by, changedAt: rows[0].changed_at };
  }

  async append<T>(tx: EntityManager, name: ParameterName, value: T, changedBy: string): Promise<Date> {
    const [row]: { changed_at: Date }[] = await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".analytics_parameter (name, value, changed_by)
       VALUES ($1, $2, $3) RETURNING changed_at`,
      [name, JSON.stringify(value), changedBy],
    );
    return row.changed_at;
  }
}
