import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CHURN_REASONS,
  CustomerKind,
  type ChurnReason,
  type LifecycleStage,
  type ValueTier,
} from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { Shard, shardPredicate } from '../cob/cob-shard';
import { MonthlyTables, partitionOfDate } from '../partitions/month-partition.rule';
import {
  churnPointsSql,
  churnScoreSql,
  type ChurnInput,
  type ChurnParameters,
  type ChurnWeight,
} from './churn.rule';
import { lifecycleStageSql } from './lifecycle-stage.rule';
import {
  potentialTagsSql,
  type PotentialTagParameterSql,
  type PotentialTagParameters,
  type TagInput,
  type TagScore,
} from './potential-tag.rule';
import { RFM_MEASURES, RFM_MEASURE_NAMES, rfmScoreSql, rfmSegmentSql, type RfmBreakpoints } from './rfm.rule';
import { valueTierSql, type ValueTierThresholds } from './value-tier.rule';

export interface ProfileRunInput {
  businessDate: string;
  /** The latest earlier date with a finished run, whose profiles these are compared with; null for none. */
  previousDate: string | null;
  thresholds: ValueTierThresholds;
  breakpoints: RfmBreakpoints;
  potentialTags: PotentialTagParameters;
  churn: ChurnParameters;
  computedAt: Date;
  shard: Shard;
}

/** What the tags and the churn score were decided on: the facts behind them are told from these. */
export type ProfileSignals = TagInput & ChurnInput;

/** A profile as stored, and as its shard's publication reads it. */
export interface StoredProfile {
  customerId: string;
  valueTier: ValueTier | null;
  lifecycleStage: LifecycleStage;
  rfm: { recency: number; frequency: number; monetary: number; segment: string } | null;
  tags: TagScore[];
  churnScore: number;
  churnWarned: boolean;
  churnReasons: { reason: ChurnReason; points: number }[];
  signals: ProfileSignals;
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
  tags: TagScore[];
  churn_score: number;
  churn_warned: boolean;
  churn_reasons: { reason: ChurnReason; points: number }[];
  computed_at: Date;
  signals: ProfileSignals;
}

/** What makes a profile: a change in any of these is published. */
const PROFILE_FIELDS = [
  'value_tier',
  'lifecycle_stage',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'rfm_segment',
  'tags',
  'churn_score',
  'churn_reasons',
  'churn_warned',
] as const;

/**
 * Each signal of `ProfileSignals` and the SQL it is read with (`i` the indicator row, `c` the customer);
 * money as text, so that it reaches the code as a decimal string, never a JS number.
 */
const SIGNALS: Record<keyof ProfileSignals, string> = {
  corporate: `coalesce(c.kind = '${CustomerKind.Corporate}', false)`,
  demandDeposits: 'i.demand_deposits::text',
  wealthProductsHeld: 'i.wealth_products_held',
  transactions90d: 'i.txn_count_90d',
  transactionAmount90d: 'i.txn_amount_90d::text',
  loansHeld: 'i.loans_held',
  aumAvg90d: 'i.aum_avg_90d::text',
  cardsHeld: 'i.cards_held',
  posCount90d: 'i.pos_count_90d',
  remoteCount90d: 'i.remote_count_90d',
  otherBankOutCount90d: 'i.other_bank_out_count_90d',
  payrollBatches90d: 'i.payroll_batches_90d',
  valueTier: 'p.value_tier',
  churnScore: 'p.churn_score',
  aum: 'i.aum::text',
  aum30dBefore: 'i.aum_30d_before::text',
  otherBankOutCount30d: 'i.other_bank_out_count_30d',
  otherBankOutAmount30d: 'i.other_bank_out_amount_30d::text',
  accountsClosed30d: 'i.accounts_closed_30d',
  maturedNotRenewed30d: 'i.matured_not_renewed_30d',
  transactions30d: 'i.txn_count_30d',
  transactionsPrior90d: 'i.txn_count_prior_90d',
};

/**
 * A stored profile (`ProfileRow`) of the customer_profile row `p`, with the signals from its date's
 * indicators; `joins` brings in the indicator row `i` and the customer `c`.
 */
export const profileSelect = (schema: string) => ({
  columns: [
    ...['customer_id', ...PROFILE_FIELDS, 'computed_at'].map((c) => `p.${c}`),
    `jsonb_build_object(${Object.entries(SIGNALS)
      .map(([name, sql]) => `'${name}', ${sql}`)
      .join(', ')}) AS signals`,
  ].join(', '),
  joins: `JOIN "${schema}".customer_indicator i ON i.business_date = p.business_date AND i.customer_id = p.customer_id
          LEFT JOIN "${schema}".customer c ON c.customer_id = p.customer_id`,
});

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
  tags: r.tags,
  churnScore: r.churn_score,
  churnWarned: r.churn_warned,
  churnReasons: r.churn_reasons,
  signals: r.signals,
  computedAt: r.computed_at,
});

/**
 * A business date's profiles (value tier, lifecycle stage, RFM) from its indicators, set-based: the bank-wide
 * RFM breakpoints once per date, then per shard one upsert that compares each profile with the previous date's
 * and marks the changed ones (the shard's publication sends them afterwards), and the tier changes.
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
   * re-run publishes nothing again; a new or different one is written, and marked changed when it differs from
   * the previous date's. Returns how many of the shard's profiles differ from the previous date's.
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
    const num = (value: string) => `${p.add(value)}::numeric`;
    const int = (value: number) => `${p.add(value)}::int`;
    const t = input.potentialTags;
    const tagParameters: PotentialTagParameterSql = {
      wealthManagement: {
        minDemandDeposits: num(t.wealthManagement.minDemandDeposits),
        maxTurnoverShare: num(t.wealthManagement.maxTurnoverShare),
      },
      loan: { minAumAvg90d: num(t.loan.minAumAvg90d), minTransactions: int(t.loan.minTransactions) },
      creditCard: { minPosPurchases: int(t.creditCard.minPosPurchases) },
      payrollAgency: { minTransfers: int(t.payrollAgency.minTransfers) },
      mobileActivation: { minTransactions: int(t.mobileActivation.minTransactions) },
      highValueAtRisk: { minChurnScore: int(t.highValueAtRisk.minChurnScore) },
    };
    const ch = input.churn;
    const points = churnPointsSql(
      {
        aum: 'i.aum',
        aum30dBefore: 'i.aum_30d_before',
        otherBankOutCount30d: 'i.other_bank_out_count_30d',
        otherBankOutAmount30d: 'i.other_bank_out_amount_30d',
        accountsClosed30d: 'i.accounts_closed_30d',
        maturedNotRenewed30d: 'i.matured_not_renewed_30d',
        transactions30d: 'i.txn_count_30d',
        transactionsPrior90d: 'i.txn_count_prior_90d',
      },
      {
        weights: Object.fromEntries(
          Object.entries(ch.weights).map(([reason, weight]) => [reason, int(weight)]),
        ) as Record<ChurnWeight, string>,
        minAum: num(ch.minAum),
        aumFallShare: num(ch.aumFallShare),
        transferShare: num(ch.transferShare),
        activityDropShare: num(ch.activityDropShare),
        minPriorTransactions: int(ch.minPriorTransactions),
      },
    );
    const pointsOf = (reason: ChurnReason) => `points_${CHURN_REASONS.indexOf(reason)}`;
    const reasonPoints = Object.fromEntries(CHURN_REASONS.map((r) => [r, `n.${pointsOf(r)}`])) as Record<
      ChurnReason,
      string
    >;
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
                ${score('monetary')} AS rfm_monetary,
                ${CHURN_REASONS.map((r) => `${points[r]} AS ${pointsOf(r)}`).join(',\n                ')},
                coalesce(c.kind = '${CustomerKind.Corporate}', false) AS corporate,
                i.demand_deposits, i.wealth_products_held, i.txn_count_90d, i.txn_amount_90d, i.loans_held,
                i.aum_avg_90d, i.cards_held, i.pos_count_90d, i.remote_count_90d, i.other_bank_out_count_90d,
                i.payroll_batches_90d
           FROM "${s}".customer_indicator i
           LEFT JOIN "${s}".customer c ON c.customer_id = i.customer_id
          WHERE i.business_date = ${date} AND ${upsert.inShard('i.customer_id')}
       ),
       churned AS (
         SELECT n.*, ${rfmSegmentSql('n.rfm_recency', 'n.rfm_frequency', 'n.rfm_monetary')} AS rfm_segment,
                ${churnScoreSql(reasonPoints)} AS churn_score,
                jsonb_path_query_array(jsonb_build_array(${CHURN_REASONS.map(
                  (r) =>
                    `CASE WHEN n.${pointsOf(r)} IS NOT NULL THEN jsonb_build_object('reason', '${r}', 'points', n.${pointsOf(r)}) END`,
                ).join(', ')}), '$[*] ? (@ != null)') AS churn_reasons
           FROM scored n
       ),
       profiled AS (
         SELECT n.*, n.churn_score >= ${int(ch.warningLine)} AS churn_warned,
                ${potentialTagsSql(
                  {
                    corporate: 'n.corporate',
                    demandDeposits: 'n.demand_deposits',
                    wealthProductsHeld: 'n.wealth_products_held',
                    transactions90d: 'n.txn_count_90d',
                    transactionAmount90d: 'n.txn_amount_90d',
                    loansHeld: 'n.loans_held',
                    aumAvg90d: 'n.aum_avg_90d',
                    cardsHeld: 'n.cards_held',
                    posCount90d: 'n.pos_count_90d',
                    remoteCount90d: 'n.remote_count_90d',
                    otherBankOutCount90d: 'n.other_bank_out_count_90d',
                    payrollBatches90d: 'n.payroll_batches_90d',
                    valueTier: 'n.value_tier',
                    churnScore: 'n.churn_score',
                  },
                  tagParameters,
                )} AS tags
           FROM churned n
       )
       INSERT INTO "${s}".customer_profile AS p (business_date, customer_id, ${fields}, changed, computed_at)
       SELECT ${date}, n.customer_id, ${inserted('n')},
              prev.customer_id IS NULL OR ROW(${inserted('prev')}) IS DISTINCT FROM ROW(${inserted('n')}),
              ${p.add(input.computedAt.toISOString())}::timestamptz
         FROM profiled n
         LEFT JOIN "${s}".customer_profile prev
           ON prev.business_date = ${upsert.previous()} AND prev.customer_id = n.customer_id
       ON CONFLICT (business_date, customer_id) DO UPDATE
          SET ${[...PROFILE_FIELDS, 'changed', 'computed_at'].map((f) => `${f} = EXCLUDED.${f}`).join(', ')}
        WHERE ROW(${inserted('p')}, p.changed) IS DISTINCT FROM ROW(${inserted('EXCLUDED')}, EXCLUDED.changed)`,
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
   * Gives the planner the date's indicators as the shards have just written them, before the RFM breakpoints
   * and the profiles read them: a month's partition is new or holds other dates, and autovacuum analyzes it a
   * minute later if at all, so every profile and publication batch would read the whole date.
   */
  async analyzeIndicators(tx: EntityManager, businessDate: string): Promise<void> {
    const partition = partitionOfDate(MonthlyTables.CustomerIndicator, businessDate);
    await tx.query(`ANALYZE "${schemaOf(tx.connection)}".${partition.name}`);
  }

  /**
   * The same for the date's profiles the profile phase has just written, before the publication walks them:
   * counted empty, the planner would not walk them in key order.
   */
  async analyzeForPublication(tx: EntityManager, businessDate: string): Promise<void> {
    const partition = partitionOfDate(MonthlyTables.CustomerProfile, businessDate);
    await tx.query(`ANALYZE "${schemaOf(tx.connection)}".${partition.name}`);
  }

  /**
   * The next `limit` of the shard's changed profiles of the date computed from `from` on, in customer order
   * after `after` (the shard's publication cursor; null from the start).
   */
  async changedAfter(
    tx: EntityManager,
    q: { businessDate: string; from: Date; shard: Shard; after: string | null; limit: number },
  ): Promise<StoredProfile[]> {
    const s = schemaOf(tx.connection);
    const profile = profileSelect(s);
    const params = new SqlParams();
    const [date, from, limit] = [params.add(q.businessDate), params.add(q.from), params.add(q.limit)];
    const after = q.after === null ? '' : `AND p.customer_id > ${params.add(q.after)}`;
    const rows: ProfileRow[] = await tx.query(
      `SELECT ${profile.columns}
         FROM "${s}".customer_profile p
         ${profile.joins}
        WHERE p.business_date = ${date}::date AND p.changed AND p.computed_at >= ${from}::timestamptz ${after}
          AND ${shardPredicate('p.customer_id', q.shard, params)}
        ORDER BY p.customer_id LIMIT ${limit}`,
      params.values,
    );
    return rows.map(toStoredProfile);
  }
}
