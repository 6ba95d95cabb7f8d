import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { ContactPolicy } from './contact-policy.rule';

export interface PolicyVersion {
  institutionId: string | null;
  policy: ContactPolicy;
  changedBy: string;
  changedAt: Date;
}

/** Versions of the bank's contact policy (institution null) and of institutions' tightenings; the latest is in force. */
@Injectable()
export class ContactPolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The version in force of every level that has one. */
  async inForce(): Promise<PolicyVersion[]> {
    const rows: {
      institution_id: string | null;
      policy: ContactPolicy | null;
      changed_by: string;
      changed_at: Date;
    }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (institution_id) institution_id, policy, changed_by, changed_at
           FROM "${schemaOf(this.dataSource)}".contact_policy ORDER BY institution_id, id DESC`,
    );
    return rows
      .filter((r) => r.policy !== null)
      .map((r) => ({
        institutionId: r.institution_id,
        policy: r.policy!,
        changedBy: r.changed_by,
        changedAt: r.changed_at,
      }));
  }

  /** Records a new version; null drops an institution's tightening (it inherits again). */
  async record(
    tx: EntityManager,
    institutionId: string | null,
    policy: ContactPolicy | null,
    changedBy: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".contact_policy (institution_id, policy, changed_by) VALUES ($1, $2, $3)`,
      [institutionId, policy === null ? null : JSON.stringify(policy), changedBy],
    );
  }
}
