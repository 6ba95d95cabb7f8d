import type Decimal from 'decimal.js';
import { ChurnReason } from '@crm/contracts';
import { Money } from '@crm/persistence';

/**
 * Churn warning (客户流失预警) at a close of business: a score from 0 to 100 made of named reasons, each worth
 * up to its weight in points (the bank's parameters; the defaults add up to 100):
 *
 * - aum-fall: AUM at the date fell against the AUM at the end of the day 30 days before by at least
 *   `aumFallShare` (fall ÷ AUM before). Judged only when the AUM before was at least `minAum`.
 * - transfers-to-other-banks: credit transfers sent to other banks over the last 30 days amount to at least
 *   `transferShare` of the AUM 30 days before (at least `minAum`).
 * - closures: a deposit or wealth account was closed in the last 30 days (other than at its maturity).
 * - maturity-not-renewed: a time deposit or wealth product was closed at or after its maturity date in the
 *   last 30 days (paid out, not renewed).
 * - activity-drop: customer-initiated transactions of the last 30 days fell against the monthly average of
 *   the 90 days before them (a third of their count) by at least `activityDropShare`, that earlier count
 *   being at least `minPriorTransactions`.
 *
 * A proportional reason (AUM fall, transfers, activity drop) at its threshold is worth half its weight, and
 * its full weight at twice the threshold or more: points = min(weight, round(weight × share ÷ (2 × threshold))).
 * A counted reason (closures, maturity not renewed) is worth its full weight. Points are whole, rounded half
 * up; the score is the sum of the named reasons' points, at most 100. The customer is warned when the score
 * reaches the bank's warning line.
 */
export interface ChurnParameters {
  /** Warned at or above this score, 1 to 100. */
  warningLine: number;
  /** Points each reason is worth at most, 0 to 100. */
  weights: Record<ChurnWeight, number>;
  /** The AUM 30 days before that AUM fall and transfers are judged from (CNY, decimal string). */
  minAum: string;
  /** Shares in (0, 1), decimal strings. */
  aumFallShare: string;
  transferShare: string;
  activityDropShare: string;
  /** Customer-initiated transactions over the 90 days before the last 30 an activity drop is judged from (≥ 1). */
  minPriorTransactions: number;
}

/** The weights' keys: the reasons in camelCase. */
export const CHURN_WEIGHT_OF = {
  aumFall: ChurnReason.AumFall,
  transfersToOtherBanks: ChurnReason.TransfersToOtherBanks,
  closures: ChurnReason.Closures,
  maturityNotRenewed: ChurnReason.MaturityNotRenewed,
  activityDrop: ChurnReason.ActivityDrop,
} as const;
export type ChurnWeight = keyof typeof CHURN_WEIGHT_OF;

export const DEFAULT_CHURN_PARAMETERS: ChurnParameters = {
  warningLine: 50,
  weights: { aumFall: 35, transfersToOtherBanks: 25, closures: 15, maturityNotRenewed: 10, activityDrop: 15 },
  minAum: '10000.00',
  aumFallShare: '0.20',
  transferShare: '0.10',
  activityDropShare: '0.50',
  minPriorTransactions: 9,
};

/** What the churn score is computed from: one customer's indicators at the date. */
export interface ChurnInput {
  aum: string;
  /** AUM at the end of the day 30 days before the date. */
  aum30dBefore: string;
  /** Credit transfers sent to other banks over the last 30 days: count and CNY amount. */
  otherBankOutCount30d: number;
  otherBankOutAmount30d: string;
  accountsClosed30d: number;
  maturedNotRenewed30d: number;
  /** Customer-initiated transactions over the last 30 days, and over the 90 days before those. */
  transactions30d: number;
  transactionsPrior90d: number;
}

export interface ChurnResult {
  score: number;
  warned: boolean;
  /** The named reasons in CHURN_REASONS order, with their points. */
  reasons: { reason: ChurnReason; points: number }[];
}

const half = (weight: number, share: Decimal, threshold: string): number =>
  Math.min(
    weight,
    share
      .times(weight)
      .dividedBy(new Money(threshold).times(2))
      .toDecimalPlaces(0, Money.ROUND_HALF_UP)
      .toNumber(),
  );

export function churnOf(input: ChurnInput, p: ChurnParameters): ChurnResult {
  const reasons: ChurnResult['reasons'] = [];
  const before = new Money(input.aum30dBefore);
  const judgedOnAum = before.gte(p.minAum);
  const fall = judgedOnAum ? before.minus(input.aum).dividedBy(before) : new Money(0);
  if (judgedOnAum && fall.gte(p.aumFallShare))
    reasons.push({ reason: ChurnReason.AumFall, points: half(p.weights.aumFall, fall, p.aumFallShare) });
  const sent = judgedOnAum ? new Money(input.otherBankOutAmount30d).dividedBy(before) : new Money(0);
  if (judgedOnAum && input.otherBankOutCount30d > 0 && sent.gte(p.transferShare))
    reasons.push({
      reason: ChurnReason.TransfersToOtherBanks,
      points: half(p.weights.transfersToOtherBanks, sent, p.transferShare),
    });
  if (input.accountsClosed30d > 0) reasons.push({ reason: ChurnReason.Closures, points: p.weights.closures });
  if (input.maturedNotRenewed30d > 0)
    reasons.push({ reason: ChurnReason.MaturityNotRenewed, points: p.weights.maturityNotRenewed });
  if (input.transactionsPrior90d >= p.minPriorTransactions) {
    // Against the monthly average of the 90 days before: 1 − 30-day count ÷ (prior count ÷ 3).
    const drop = new Money(input.transactionsPrior90d - 3 * input.transactions30d).dividedBy(
      input.transactionsPrior90d,
    );
    if (drop.gte(p.activityDropShare))
      reasons.push({
        reason: ChurnReason.ActivityDrop,
        points: half(p.weights.activityDrop, drop, p.activityDropShare),
      });
  }
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  return { score, warned: score >= p.warningLine, reasons };
}

/** SQL placeholders (numeric or int) of a run's churn parameters (the points; the warning line apart). */
export type ChurnParameterSql = { [K in keyof Omit<ChurnParameters, 'weights' | 'warningLine'>]: string } & {
  weights: Record<ChurnWeight, string>;
};

/** The columns of a row `churnSql` reads. */
export type ChurnColumns = Record<keyof ChurnInput, string>;

/**
 * The same rule as SQL expressions over a row's columns: each reason's points (NULL when not named), from
 * which the score, the reasons and the warning are built. Agreement with `churnOf` is checked on Postgres
 * (potential-churn-rules.int-spec).
 */
export function churnPointsSql(c: ChurnColumns, p: ChurnParameterSql): Record<ChurnReason, string> {
  const judged = `${c.aum30dBefore} >= ${p.minAum}`;
  const half = (weight: string, share: string, threshold: string) =>
    `least(${weight}, round(${share} * ${weight} / (${threshold} * 2), 0))::int`;
  const fall = `(${c.aum30dBefore} - ${c.aum}) / ${c.aum30dBefore}`;
  const sent = `${c.otherBankOutAmount30d} / ${c.aum30dBefore}`;
  const drop = `(${c.transactionsPrior90d} - 3 * ${c.transactions30d})::numeric / ${c.transactionsPrior90d}`;
  return {
    [ChurnReason.AumFall]: `CASE WHEN ${judged} AND ${fall} >= ${p.aumFallShare}
      THEN ${half(p.weights.aumFall, fall, p.aumFallShare)} END`,
    [ChurnReason.TransfersToOtherBanks]: `CASE WHEN ${judged} AND ${c.otherBankOutCount30d} > 0
      AND ${sent} >= ${p.transferShare}
      THEN ${half(p.weights.transfersToOtherBanks, sent, p.transferShare)} END`,
    [ChurnReason.Closures]: `CASE WHEN ${c.accountsClosed30d} > 0 THEN ${p.weights.closures}::int END`,
    [ChurnReason.MaturityNotRenewed]: `CASE WHEN ${c.maturedNotRenewed30d} > 0
      THEN ${p.weights.maturityNotRenewed}::int END`,
    // CASE, not AND: the drop is not computed (no division by zero) unless the earlier count is judged.
    [ChurnReason.ActivityDrop]: `CASE WHEN ${c.transactionsPrior90d} >= ${p.minPriorTransactions} THEN CASE WHEN ${drop} >= ${p.activityDropShare}
      THEN ${half(p.weights.activityDrop, drop, p.activityDropShare)} END END`,
  };
}

/** The score from the reasons' points columns (NULL for a reason not named). */
export const churnScoreSql = (points: Record<ChurnReason, string>): string =>
  `least(100, ${Object.values(points)
    .map((v) => `coalesce(${v}, 0)`)
    .join(' + ')})`;

const percent = (share: Decimal) => `${share.times(100).toDecimalPlaces(1, Money.ROUND_HALF_UP).toFixed(1)}%`;

/** A reason's fact in words a manager reads, from the input it was named on. */
export function churnFact(reason: ChurnReason, input: ChurnInput): string {
  const before = new Money(input.aum30dBefore);
  switch (reason) {
    case ChurnReason.AumFall:
      return `AUM fell ${percent(before.minus(input.aum).dividedBy(before))} in 30 days, from ${before.toFixed(2)} to ${new Money(input.aum).toFixed(2)} CNY`;
    case ChurnReason.TransfersToOtherBanks:
      return `${input.otherBankOutCount30d} transfer(s) to other banks in 30 days, ${new Money(input.otherBankOutAmount30d).toFixed(2)} CNY (${percent(new Money(input.otherBankOutAmount30d).dividedBy(before))} of the AUM 30 days before)`;
    case ChurnReason.Closures:
      return `${input.accountsClosed30d} account(s) closed in the last 30 days`;
    case ChurnReason.MaturityNotRenewed:
      return `${input.maturedNotRenewed30d} time deposit(s) or wealth product(s) matured and paid out, not renewed, in the last 30 days`;
    case ChurnReason.ActivityDrop:
      return `${input.transactions30d} transaction(s) in the last 30 days against ${new Money(input.transactionsPrior90d).dividedBy(3).toDecimalPlaces(1, Money.ROUND_HALF_UP).toFixed(1)} a month over the 90 days before`;
  }
}
