import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerProfileChangedPayload, LifecycleStage, ValueTier } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

/** Who a customer is to the bank, by analytics-service's latest profile. */
export interface ProfileSummary {
  asOf: string;
  valueTier: ValueTier | null;
  lifecycleStage: LifecycleStage;
  churnScore: number;
}

/**
 * The service's copy of analytics-service's profiles, what targeting and propensity need of them. A
 * profile replaces the one held only if it is of a later close of business (or of the same one, computed
 * later): a replay or a backfill of an earlier date arriving late changes nothing.
 */
@Injectable()
export class AnalyticProfileRepository {
  async upsertIfNewer(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".analytic_profile AS ap
         (customer_id, business_date, computed_at, value_tier, lifecycle_stage, tag_scores, churn_score)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (customer_id) DO UPDATE SET business_date = EXCLUDED.business_date,
         computed_at = EXCLUDED.computed_at, value_tier = EXCLUDED.value_tier,
         lifecycle_stage = EXCLUDED.lifecycle_stage, tag_scores = EXCLUDED.tag_scores,
         churn_score = EXCLUDED.churn_score
       WHERE (ap.business_date, ap.computed_at) < (EXCLUDED.business_date, EXCLUDED.computed_at)`,
      [
        p.customerId,
        p.businessDate,
        p.computedAt,
        p.valueTier,
        p.lifecycleStage,
        JSON.stringify(Object.fromEntries(p.tags.map((t) => [t.tag, t.score]))),
        p.churnScore,
      ],
    );
  }

  /** The profiles of those of `customerIds` analytics-service has profiled. */
  async summariesOf(
    manager: EntityManager,
    customerIds: readonly string[],
  ): Promise<Map<string, ProfileSummary>> {
    const rows: {
      customer_id: string;
      as_of: string;
      value_tier: ValueTier | null;
      lifecycle_stage: LifecycleStage;
      churn_score: number;
    }[] = await manager.query(
      `SELECT customer_id, business_date::text AS as_of, value_tier, lifecycle_stage, churn_score
           FROM "${schemaOf(manager.connection)}".analytic_profile WHERE customer_id = ANY($1)`,
      [customerIds],
    );
    return new Map(
      rows.map((r) => [
        r.customer_id,
        {
          asOf: r.as_of,
          valueTier: r.value_tier,
          lifecycleStage: r.lifecycle_stage,
          churnScore: r.churn_score,
        },
      ]),
    );
  }
}
