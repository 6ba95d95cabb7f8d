/**
 * RFM (最近一次交易、交易频率、交易金额) at a close of business, over every customer of the bank with at least
 * one customer-initiated transaction up to the date:
 *
 * - recency: days since the last transaction (fewer is better);
 * - frequency: transactions over the last 90 days;
 * - monetary: their amount (CNY) over the last 90 days.
 *
 * Each is scored 1 to 5 by quintiles of the bank: with n customers scored and w of them strictly worse on
 * the measure, the score is 1 + ⌊5·w / n⌋. This is ntile(5) except that equal values share a score (ntile
 * would split a tie by row order, so a re-run could score the same customer differently).
 *
 * Segments from the scores, the first that holds:
 *
 *   champions        R ≥ 4, F ≥ 4, M ≥ 4
 *   loyal            R ≥ 3, F ≥ 4
 *   potential        R ≥ 4                     recent, not yet frequent
 *   needs-attention  R = 3
 *   at-risk          R ≤ 2 and (F ≥ 3 or M ≥ 4)  were active or valuable, not lately
 *   hibernating      R = 2
 *   lost             R = 1
 */
export const RfmSegment = {
  Champions: 'champions',
  Loyal: 'loyal',
  Potential: 'potential',
  NeedsAttention: 'needs-attention',
  AtRisk: 'at-risk',
  Hibernating: 'hibernating',
  Lost: 'lost',
} as const;
export type RfmSegment = (typeof RfmSegment)[keyof typeof RfmSegment];

export const RFM_SCORES = [1, 2, 3, 4, 5] as const;

/** The customer_indicator column each score is taken from, and which way is better. */
export const RFM_MEASURES = {
  recency: { column: 'recency_days', better: 'lower' },
  frequency: { column: 'txn_count_90d', better: 'higher' },
  monetary: { column: 'txn_amount_90d', better: 'higher' },
} as const;
export type RfmMeasure = keyof typeof RFM_MEASURES;
export const RFM_MEASURE_NAMES = Object.keys(RFM_MEASURES) as RfmMeasure[];

/**
 * Where each score begins on a measure at one business date: `bound` is the worst value still given
 * `score` (a minimum where higher is better, a maximum of days for recency). Scores no customer got are absent.
 */
export type RfmBreakpoints = Record<RfmMeasure, { score: number; bound: string }[]>;

/**
 * A value's score from the date's breakpoints, as SQL: the highest score whose bound it reaches (`bound`:
 * the statement's placeholder for it). Every scored value reaches the lowest score present, whose bound is
 * the worst value of all.
 */
export function rfmScoreSql(
  column: string,
  better: 'lower' | 'higher',
  breakpoints: readonly { score: number; bound: string }[],
): string {
  const reaches = better === 'higher' ? '>=' : '<=';
  const arms = [...breakpoints]
    .sort((a, b) => b.score - a.score)
    .map((b) => `WHEN ${column} ${reaches} ${b.bound} THEN ${b.score}`);
  return arms.length === 0 ? 'NULL::smallint' : `(CASE ${arms.join(' ')} END)::smallint`;
}

export function rfmSegmentOf(r: number, f: number, m: number): RfmSegment {
  if (r >= 4 && f >= 4 && m >= 4) return RfmSegment.Champions;
  if (r >= 3 && f >= 4) return RfmSegment.Loyal;
  if (r >= 4) return RfmSegment.Potential;
  if (r === 3) return RfmSegment.NeedsAttention;
  if (f >= 3 || m >= 4) return RfmSegment.AtRisk;
  return r === 2 ? RfmSegment.Hibernating : RfmSegment.Lost;
}

/** The same mapping as a SQL expression over three score expressions (null scores give null). */
export function rfmSegmentSql(r: string, f: string, m: string): string {
  return `CASE WHEN ${r} IS NULL THEN NULL
    WHEN ${r} >= 4 AND ${f} >= 4 AND ${m} >= 4 THEN '${RfmSegment.Champions}'
    WHEN ${r} >= 3 AND ${f} >= 4 THEN '${RfmSegment.Loyal}'
    WHEN ${r} >= 4 THEN '${RfmSegment.Potential}'
    WHEN ${r} = 3 THEN '${RfmSegment.NeedsAttention}'
    WHEN ${f} >= 3 OR ${m} >= 4 THEN '${RfmSegment.AtRisk}'
    WHEN ${r} = 2 THEN '${RfmSegment.Hibernating}'
    ELSE '${RfmSegment.Lost}' END`;
}
