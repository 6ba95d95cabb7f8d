import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { LifecycleStage, ValueTier } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { Shard, shardPredicate } from '../cob/cob-shard';
import { lifecycleStageSql } from './lifecycle-stage.rule';
import { RFM_MEASURES, RFM_MEASURE_NAMES, rfmScoreSql, rfmSegmentSql, type RfmBreakpoints } from './rfm.rule';
import { valueTierSql, type ValueTierThresholds } from './value-tier.rule';

export interface ProfileRunInput {
  businessDate: string;
  /** The latest earlier date with a finished run, whose profiles these are compared with; null for none. */
  previousDate: string | null;
  thresholds: ValueTierThresholds;
  breakpoints: RfmBreakpoints;
  computedAt: Date;
  shard: Shard;
}

/** A profile as the outbox publishes it. */
export interface StoredProfile {
  customerId: string;
  valueTier: ValueTier | null;
  lifecycleStage: LifecycleStage;
  rfm: { recency: number; frequency: number; monetary: number; segment: string } | null;
  computedAt: Date;
}

export interface ProfileRow {
  customer_id: string;
  value_tier: ValueTier | null;
  lifecycle_stage: LifecycleStage;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  rfm_segment: string | null;
  computed_at: Date;
}

/** What makes a profile: a change in any of these is published. */
const PROFILE_FIELDS = [
  'value_tier',
  'lifecycle_stage',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'rfm_segment',
] as const;

/** The columns of a stored profile (`ProfileRow`), each prefixed with the table's alias. */
export const profileColumns = (alias: string): string =>
  ['customer_id', ...PROFILE_FIELDS, 'computed_at'].map((c) => `${alias}.${c}`).join(', ');

export const toStoredProfile = (r: ProfileRow): StoredProfile => ({
  customerId: r.customer_id,
  valueTier: r.value_tier,
  lifecycleStage: r.lifecycle_stage,
  rfm:
    r.rfm_recency === null
      ? null
      : {
          recency: r.rfm_recency,
          frequency: r.rfm_frequency!,
          monetary: r.rfm_monetary!,
          segment: r.rfm_segment!,
        },
  computedAt: r.computed_at,
});

/**
 * A business date's profiles (value tier, lifecycle stage, RFM) from its indicators, set-based: the bank-wide
 * RFM breakpoints once per date, then per shard one upsert that compares each profile with the previous date's
 * and queues the changed ones for the outbox, and the tier changes.
 */
@Injectable()
export class ProfileSnapshotRepository {
  /** Where each RFM score begins among the customers with transactions at the date (all shards written). */
  async breakpoints(tx: EntityManager, businessDate: string): Promise<RfmBreakpoints> {
    const s = schemaOf(tx.connection);
    const ranked = RFM_MEASURE_NAMES.map((measure) => {
      const { column, better } = RFM_MEASURES[measure];
      // Worse values first: rank − 1 counts the customers strictly worse (ties share the lowest rank).
      const order = better === 'higher' ? 'ASC' : 'DESC';
      return `SELECT '${measure}' AS measure, ${column}::numeric AS value,
                     rank() OVER (ORDER BY ${column} ${order}) AS position FROM scored`;
    }).join(' UNION ALL ');
    const rows: { measure: keyof RfmBreakpoints; score: number; bound: string }[] = await tx.query(
      `WITH scored AS (
         SELECT ${RFM_MEASURE_NAMES.map((m) => RFM_MEASURES[m].column).join(', ')}
           FROM "${s}".customer_indicator WHERE business_date = $1::date AND last_txn_date IS NOT NULL
       ),
       total AS (SELECT count(*) AS n FROM scored),
       ranked AS (${ranked})
       SELECT r.measure, (1 + 5 * (r.position - 1) / t.n)::int AS score,
              (CASE WHEN r.measure = 'recency' THEN max(r.value) ELSE min(r.value) END)::text AS bound
         FROM ranked r CROSS JOIN total t
        GROUP BY r.measure, 2 ORDER BY r.measure, 2`,
      [businessDate],
    );
    const breakpoints: RfmBreakpoints = { recency: [], frequency: [], monetary: [] };
    for (const row of rows) breakpoints[row.measure].push({ score: row.score, bound: row.bound });
    return breakpoints;
  }

  /**
   * Writes the shard's profiles of the date. A profile already there and the same is left as it is, so a
   * re-run queues nothing again; a new or different one is written, and queued when it differs from the
   * previous date's. Returns how many of the shard's profiles differ from the previous date's.
   */
  async write(tx: EntityManager, input: ProfileRunInput): Promise<number> {
    const s = schemaOf(tx.connection);
    // Each statement its own parameters, a placeholder added where first used.
    const statement = () => {
      const params = new SqlParams();
      const once = (value: unknown) => {
        let placeholder: string | undefined;
        return () => (placeholder ??= params.add(value));
      };
      const [date, previous] = [once(input.businessDate), once(input.previousDate)];
      return {
        params,
        date: () => `${date()}::date`,
        previous: () => `${previous()}::date`,
        inShard: (column: string) => shardPredicate(column, input.shard, params),
      };
    };
    const fields = PROFILE_FIELDS.join(', ');
    const inserted = (alias: string) => PROFILE_FIELDS.map((f) => `${alias}.${f}`).join(', ');

    const gone = statement();
    await tx.query(
      `DELETE FROM "${s}".customer_profile p WHERE p.business_date = ${gone.date()}
          AND ${gone.inShard('p.customer_id')}
          AND NOT EXISTS (SELECT 1 FROM "${s}".customer_indicator i
                           WHERE i.business_date = ${gone.date()} AND i.customer_id = p.customer_id)`,
      gone.params.values,
    );

    const upsert = statement();
    const [p, date] = [upsert.params, upsert.date()];
    const thresholds = {
      top: `${p.add(input.thresholds.top)}::numeric`,
      important: `${p.add(input.thresholds.important)}::numeric`,
      core: `${p.add(input.thresholds.core)}::numeric`,
    };
    const score = (measure: keyof RfmBreakpoints) => {
      const { column, better } = RFM_MEASURES[measure];
      const bounds = input.breakpoints[measure].map((b) => ({
        score: b.score,
        bound: `${p.add(b.bound)}::numeric`,
      }));
      // Only customers with a transaction are scored (recency is null for the others).
      return `CASE WHEN i.last_txn_date IS NOT NULL THEN ${rfmScoreSql(`i.${column}`, better, bounds)} END`;
    };
    await tx.query(
      `WITH scored AS (
         SELECT i.customer_id,
                ${valueTierSql({ aumAvgMtd: 'i.aum_avg_mtd', assetAccountsHeld: 'i.asset_accounts_held' }, thresholds)}
                  AS value_tier,
                ${lifecycleStageSql({
                  businessDate: date,
                  firstHeldOn: 'i.first_held_on',
                  holdingsHeld: 'i.holdings_held',
                  hadBalance90d: 'i.had_balance_90d',
                  transactions90d: 'i.txn_count_90d',
                  aumAvg90d: 'i.aum_avg_90d',
                  aumAvgPrev90d: 'i.aum_avg_prev_90d',
                })} AS lifecycle_stage,
                ${score('recency')} AS rfm_recency,
                ${score('frequency')} AS rfm_frequency,
                ${score('monetary')} AS rfm_monetary
           FROM "${s}".customer_indicator i
          WHERE i.business_date = ${date} AND ${upsert.inShard('i.customer_id')}
       ),
       profiled AS (
         SELECT n.*, ${rfmSegmentSql('n.rfm_recency', 'n.rfm_frequency', 'n.rfm_monetary')} AS rfm_segment
           FROM scored n
       ),
       upserted AS (
         INSERT INTO "${s}".customer_profile AS p (business_date, customer_id, ${fields}, changed, computed_at)
         SELECT ${date}, n.customer_id, ${inserted('n')},
                prev.customer_id IS NULL OR ROW(${inserted('prev')}) IS DISTINCT FROM ROW(${inserted('n')}),
                ${p.add(input.computedAt.toISOString())}::timestamptz
           FROM profiled n
           LEFT JOIN "${s}".customer_profile prev
             ON prev.business_date = ${upsert.previous()} AND prev.customer_id = n.customer_id
         ON CONFLICT (business_date, customer_id) DO UPDATE
            SET ${[...PROFILE_FIELDS, 'changed', 'computed_at'].map((f) => `${f} = EXCLUDED.${f}`).join(', ')}
          WHERE ROW(${inserted('p')}, p.changed) IS DISTINCT FROM ROW(${inserted('EXCLUDED')}, EXCLUDED.changed)
         RETURNING p.customer_id, p.changed
       )
       INSERT INTO "${s}".profile_publication (business_date, customer_id)
       SELECT ${date}, customer_id FROM upserted WHERE changed
       ON CONFLICT DO NOTHING`,
      p.values,
    );

    const cleared = statement();
    await tx.query(
      `DELETE FROM "${s}".value_tier_change
        WHERE business_date = ${cleared.date()} AND ${cleared.inShard('customer_id')}`,
      cleared.params.values,
    );
    const tiers = statement();
    await tx.query(
      `INSERT INTO "${s}".value_tier_change (customer_id, business_date, from_tier, to_tier)
       SELECT n.customer_id, n.business_date, prev.value_tier, n.value_tier
         FROM "${s}".customer_profile n
         LEFT JOIN "${s}".customer_profile prev
           ON prev.business_date = ${tiers.previous()} AND prev.customer_id = n.customer_id
        WHERE n.business_date = ${tiers.date()} AND ${tiers.inShard('n.customer_id')}
          AND n.value_tier IS DISTINCT FROM prev.value_tier`,
      tiers.params.values,
    );

    const count = statement();
    const [{ changed }] = await tx.query(
      `SELECT count(*) FILTER (WHERE changed)::int AS changed FROM "${s}".customer_profile
        WHERE business_date = ${count.date()} AND ${count.inShard('customer_id')}`,
      count.params.values,
    );
    return changed;
  }

  /**
   * Takes up to `limit` queued profiles of the date (rows other instances hold are skipped), removing them
   * from the queue in the caller's transaction: the caller writes their events to the outbox in it.
   */
  async takeQueued(tx: EntityManager, businessDate: string, limit: number): Promise<StoredProfile[]> {
    const s = schemaOf(tx.connection);
    const rows: ProfileRow[] = await tx.query(
      `WITH batch AS (
         SELECT business_date, customer_id FROM "${s}".profile_publication
          WHERE business_date = $1::date ORDER BY customer_id LIMIT $2 FOR UPDATE SKIP LOCKED
       ),
       taken AS (
         DELETE FROM "${s}".profile_publication q USING batch b
          WHERE q.business_date = b.business_date AND q.customer_id = b.customer_id
         RETURNING q.customer_id
       )
       SELECT ${profileColumns('p')}
         FROM taken t JOIN "${s}".customer_profile p ON p.business_date = $1::date AND p.customer_id = t.customer_id
        ORDER BY p.customer_id`,
      [businessDate, limit],
    );
    return rows.map(toStoredProfile);
  }
}
