import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, ScopeColumns, scopePredicate } from '@crm/security';

/** A contact is seen by the heads above its customer's institution and by the manager who made it. */
const CONTACT_SCOPE: ScopeColumns = { institutions: ['k.institution_id'], managers: ['k.manager_id'] };

export interface LedgerFilter {
  campaignId?: string;
  institutionIds?: readonly string[];
  from: Date;
  to: Date;
}

type Counts = { key: string; count: number }[];

export interface LedgerFigures {
  byOutcome: Counts;
  byChannel: Counts;
  byCampaign: Counts;
  byInstitution: Counts;
  suppressedBy: Counts;
  perCustomer: { subjects: number; max: number; mean: string; distribution: Counts };
  perPhone: { subjects: number; max: number; mean: string; distribution: Counts };
}

/** The contact ledger's figures in one statement over the filtered rows. */
@Injectable()
export class ContactLedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async figures(scope: DataScope, filter: LedgerFilter): Promise<LedgerFigures> {
    const params = new SqlParams();
    const where = [
      scopePredicate(scope, CONTACT_SCOPE, params),
      `k.recorded_at >= ${params.add(filter.from)}`,
      `k.recorded_at < ${params.add(filter.to)}`,
    ];
    if (filter.campaignId) where.push(`k.campaign_id = ${params.add(filter.campaignId)}`);
    if (filter.institutionIds)
      where.push(`k.institution_id = ANY(${params.add(filter.institutionIds)}::text[])`);
    const made = `k.outcome IN ('sent', 'delivered')`;
    const counts = (key: string, only = 'TRUE') =>
      `(SELECT coalesce(json_agg(json_build_object('key', key, 'count', n) ORDER BY n DESC, key), '[]')
          FROM (SELECT ${key} AS key, count(*)::int AS n FROM rows k WHERE ${only} GROUP BY 1) g)`;
    // Subjects grouped by how many contacts each got; the figures come from that distribution.
    const perSubject = (subject: string) =>
      `(SELECT json_build_object(
          'subjects', coalesce(sum(c), 0)::int,
          'max', coalesce(max(n), 0),
          'mean', coalesce(round(sum(n * c)::numeric / nullif(sum(c), 0), 2), 0)::text,
          'distribution', coalesce(json_agg(json_build_object('key', n::text, 'count', c) ORDER BY n), '[]'))
          FROM (SELECT n, count(*)::int AS c
                  FROM (SELECT count(*)::int AS n FROM rows k WHERE ${made} AND ${subject} IS NOT NULL
                         GROUP BY ${subject}) per
                 GROUP BY n) d)`;
    const [row]: { figures: LedgerFigures }[] = await this.dataSource.query(
      `WITH rows AS MATERIALIZED (SELECT * FROM "${schemaOf(this.dataSource)}".contact k WHERE ${where.join(' AND ')})
       SELECT json_build_object(
         'byOutcome', ${counts('k.outcome')},
         'byChannel', ${counts('k.channel', made)},
         'byCampaign', ${counts('k.campaign_id', made)},
         'byInstitution', ${counts(`coalesce(k.institution_id, '(none)')`, made)},
         'suppressedBy', ${counts(`CASE WHEN k.reason LIKE 'lost-arbitration:%' THEN 'lost-arbitration' ELSE k.reason END`, `k.outcome = 'suppressed'`)},
         'perCustomer', ${perSubject('k.customer_id')},
         'perPhone', ${perSubject('k.phone_hash')}) AS figures`,
      params.values,
    );
    return row.figures;
  }
}
