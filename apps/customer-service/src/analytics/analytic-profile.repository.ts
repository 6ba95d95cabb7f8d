import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  ChurnReason,
  CustomerProfileChangedPayload,
  LifecycleStage,
  ProfileTag,
  RfmScores,
  ValueTier,
} from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

/** Who writes the analytic tags of `customer_tag` (its `source`). */
export const ANALYTIC_TAG_SOURCE = 'analytics-service';

/** A customer's analytic profile as stored. */
export interface AnalyticProfileRow {
  business_date: string;
  computed_at: Date;
  value_tier: ValueTier | null;
  lifecycle_stage: LifecycleStage;
  rfm: RfmScores | null;
  tags: ProfileTag[];
  churn_score: number;
  churn_reasons: ChurnReason[];
}

/**
 * analytics-service's profiles of customers, written inside the event's transaction. Only a profile of
 * a later close of business (or of the same one, computed later) replaces the one held, so a replay or
 * a backfill of an earlier date arriving late changes nothing.
 */
@Injectable()
export class AnalyticProfileRepository {
  /** Keeps the profile if it is newer than the one held; whether it did. */
  async upsertIfNewer(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<boolean> {
    const s = schemaOf(tx.connection);
    const rows: unknown[] = await tx.query(
      `INSERT INTO "${s}".analytic_profile AS ap (customer_id, business_date, computed_at, value_tier,
         lifecycle_stage, rfm, tags, churn_score, churn_reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (customer_id) DO UPDATE SET business_date = EXCLUDED.business_date,
         computed_at = EXCLUDED.computed_at, value_tier = EXCLUDED.value_tier,
         lifecycle_stage = EXCLUDED.lifecycle_stage, rfm = EXCLUDED.rfm, tags = EXCLUDED.tags,
         churn_score = EXCLUDED.churn_score, churn_reasons = EXCLUDED.churn_reasons
       WHERE (ap.business_date, ap.computed_at) < (EXCLUDED.business_date, EXCLUDED.computed_at)
       RETURNING 1`,
      [
        p.customerId,
        p.businessDate,
        p.computedAt,
        p.valueTier,
        p.lifecycleStage,
        p.rfm === null ? null : JSON.stringify(p.rfm),
        JSON.stringify(p.tags),
        p.churnScore,
        p.churnReasons,
      ],
    );
    return rows.length > 0;
  }

  /** The tier and stage onto the customer's row, which search filters on (no row yet: registration copies them). */
  async copyToCustomer(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".customer SET value_tier = $2, lifecycle_stage = $3 WHERE id = $1`,
      [p.customerId, p.valueTier, p.lifecycleStage],
    );
  }

  /** The potential tags as the customer's analytic tags, replacing the previous profile's. */
  async replaceTags(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `DELETE FROM "${s}".customer_tag WHERE customer_id = $1 AND kind = 'analytic' AND source = $2`,
      [p.customerId, ANALYTIC_TAG_SOURCE],
    );
    if (p.tags.length === 0) return;
    await tx.query(
      `INSERT INTO "${s}".customer_tag (customer_id, tag, kind, source, score, created_by, created_at)
       SELECT $1, t.tag, 'analytic', $2, t.score, $2, $3 FROM unnest($4::text[], $5::int[]) AS t(tag, score)`,
      [p.customerId, ANALYTIC_TAG_SOURCE, p.computedAt, p.tags.map((t) => t.tag), p.tags.map((t) => t.score)],
    );
  }
}
