import type Decimal from 'decimal.js';
import { PotentialTag, ValueTier } from '@crm/contracts';
import { Money } from '@crm/persistence';

/**
 * Potential-customer tags (潜力客户标签) at a close of business, one rule per class; the thresholds are the
 * bank's parameters. A tag's score (0-100) is 50 at its threshold and 100 at twice it or more:
 * score = min(100, round(50 × measure ÷ threshold)), rounded half up; high value at risk scores its churn score.
 *
 * - wealth-management (理财潜力): holds no wealth product, demand deposits at the date of at least
 *   `minDemandDeposits`, and idle: customer-initiated transactions over the last 90 days (both directions)
 *   amount to at most `maxTurnoverShare` of them. Measure: the demand deposits.
 * - loan (贷款潜力): an individual with no loan, at least `minTransactions` customer-initiated transactions
 *   over the last 90 days and a daily-average AUM over them of at least `minAumAvg90d`. Measure: that average.
 * - credit-card (信用卡潜力): an individual with no credit card who paid at a terminal (POS) at least
 *   `minPosPurchases` times over the last 90 days. Measure: those purchases.
 * - payroll-agency (代发工资潜力): a corporate customer that sent at least `minTransfers` credit transfers to
 *   other banks over the last 90 days and ran no payroll batch (PMNT-ICDT-SALA) here: it pays its people and
 *   suppliers elsewhere. Measure: those transfers.
 * - mobile-activation (手机银行激活潜力): at least `minTransactions` customer-initiated transactions over the
 *   last 90 days, none of them by mobile or internet banking (only counter, ATM, terminal). Measure: them.
 * - high-value-at-risk (高价值流失风险): a top or important tier with a churn score of at least
 *   `minChurnScore`. Score: the churn score.
 */
export interface PotentialTagParameters {
  wealthManagement: { minDemandDeposits: string; maxTurnoverShare: string };
  loan: { minAumAvg90d: string; minTransactions: number };
  creditCard: { minPosPurchases: number };
  payrollAgency: { minTransfers: number };
  mobileActivation: { minTransactions: number };
  highValueAtRisk: { minChurnScore: number };
}

export const DEFAULT_POTENTIAL_TAG_PARAMETERS: PotentialTagParameters = {
  wealthManagement: { minDemandDeposits: '500000.00', maxTurnoverShare: '0.20' },
  loan: { minAumAvg90d: '50000.00', minTransactions: 10 },
  creditCard: { minPosPurchases: 20 },
  payrollAgency: { minTransfers: 20 },
  mobileActivation: { minTransactions: 20 },
  highValueAtRisk: { minChurnScore: 30 },
};

/** One customer's figures at the date the tags are decided on. */
export interface TagInput {
  corporate: boolean;
  demandDeposits: string;
  wealthProductsHeld: number;
  /** Customer-initiated transactions over the last 90 days: count and CNY amount (both directions). */
  transactions90d: number;
  transactionAmount90d: string;
  loansHeld: number;
  aumAvg90d: string;
  cardsHeld: number;
  /** Of those transactions: at a terminal (POS); by mobile or internet banking. */
  posCount90d: number;
  remoteCount90d: number;
  /** Credit transfers sent to other banks over the last 90 days; payroll batches run here. */
  otherBankOutCount90d: number;
  payrollBatches90d: number;
  valueTier: ValueTier | null;
  churnScore: number;
}

export interface TagScore {
  tag: PotentialTag;
  score: number;
}

const scored = (measure: Decimal.Value, threshold: Decimal.Value): number =>
  Math.min(
    100,
    new Money(measure).times(50).dividedBy(threshold).toDecimalPlaces(0, Money.ROUND_HALF_UP).toNumber(),
  );

const HIGH_TIERS: readonly (ValueTier | null)[] = [ValueTier.Top, ValueTier.Important];

/** The tags the customer carries, in POTENTIAL_TAGS order. */
export function potentialTagsOf(input: TagInput, p: PotentialTagParameters): TagScore[] {
  const tags: TagScore[] = [];
  const demand = new Money(input.demandDeposits);
  const w = p.wealthManagement;
  if (
    input.wealthProductsHeld === 0 &&
    demand.gte(w.minDemandDeposits) &&
    new Money(input.transactionAmount90d).lte(demand.times(w.maxTurnoverShare))
  )
    tags.push({ tag: PotentialTag.WealthManagement, score: scored(demand, w.minDemandDeposits) });
  if (
    !input.corporate &&
    input.loansHeld === 0 &&
    input.transactions90d >= p.loan.minTransactions &&
    new Money(input.aumAvg90d).gte(p.loan.minAumAvg90d)
  )
    tags.push({ tag: PotentialTag.Loan, score: scored(input.aumAvg90d, p.loan.minAumAvg90d) });
  if (!input.corporate && input.cardsHeld === 0 && input.posCount90d >= p.creditCard.minPosPurchases)
    tags.push({
      tag: PotentialTag.CreditCard,
      score: scored(input.posCount90d, p.creditCard.minPosPurchases),
    });
  if (
    input.corporate &&
    input.payrollBatches90d === 0 &&
    input.otherBankOutCount90d >= p.payrollAgency.minTransfers
  )
    tags.push({
      tag: PotentialTag.PayrollAgency,
      score: scored(input.otherBankOutCount90d, p.payrollAgency.minTransfers),
    });
  if (input.remoteCount90d === 0 && input.transactions90d >= p.mobileActivation.minTransactions)
    tags.push({
      tag: PotentialTag.MobileActivation,
      score: scored(input.transactions90d, p.mobileActivation.minTransactions),
    });
  if (HIGH_TIERS.includes(input.valueTier) && input.churnScore >= p.highValueAtRisk.minChurnScore)
    tags.push({ tag: PotentialTag.HighValueAtRisk, score: input.churnScore });
  return tags;
}

/** SQL placeholders (numeric or int) of a run's tag parameters, in the parameters' shape. */
export type PotentialTagParameterSql = {
  [K in keyof PotentialTagParameters]: { [F in keyof PotentialTagParameters[K]]: string };
};

/** The columns (SQL expressions) of a row `potentialTagsSql` reads. */
export type TagColumns = Record<keyof TagInput, string>;

/**
 * The same rules as one SQL expression: a jsonb array of `{tag, score}` in POTENTIAL_TAGS order. Agreement
 * with `potentialTagsOf` is checked on Postgres (potential-churn-rules.int-spec).
 */
export function potentialTagsSql(c: TagColumns, p: PotentialTagParameterSql): string {
  const score = (measure: string, threshold: string) =>
    `least(100, round(${measure}::numeric * 50 / ${threshold}, 0))::int`;
  const tag = (name: PotentialTag, when: string, value: string) =>
    `CASE WHEN ${when} THEN jsonb_build_object('tag', '${name}', 'score', ${value}) END`;
  const w = p.wealthManagement;
  const arms = [
    tag(
      PotentialTag.WealthManagement,
      `${c.wealthProductsHeld} = 0 AND ${c.demandDeposits} >= ${w.minDemandDeposits}
        AND ${c.transactionAmount90d} <= ${c.demandDeposits} * ${w.maxTurnoverShare}`,
      score(c.demandDeposits, w.minDemandDeposits),
    ),
    tag(
      PotentialTag.Loan,
      `NOT ${c.corporate} AND ${c.loansHeld} = 0 AND ${c.transactions90d} >= ${p.loan.minTransactions}
        AND ${c.aumAvg90d} >= ${p.loan.minAumAvg90d}`,
      score(c.aumAvg90d, p.loan.minAumAvg90d),
    ),
    tag(
      PotentialTag.CreditCard,
      `NOT ${c.corporate} AND ${c.cardsHeld} = 0 AND ${c.posCount90d} >= ${p.creditCard.minPosPurchases}`,
      score(c.posCount90d, p.creditCard.minPosPurchases),
    ),
    tag(
      PotentialTag.PayrollAgency,
      `${c.corporate} AND ${c.payrollBatches90d} = 0 AND ${c.otherBankOutCount90d} >= ${p.payrollAgency.minTransfers}`,
      score(c.otherBankOutCount90d, p.payrollAgency.minTransfers),
    ),
    tag(
      PotentialTag.MobileActivation,
      `${c.remoteCount90d} = 0 AND ${c.transactions90d} >= ${p.mobileActivation.minTransactions}`,
      score(c.transactions90d, p.mobileActivation.minTransactions),
    ),
    tag(
      PotentialTag.HighValueAtRisk,
      `${c.valueTier} IN ('${ValueTier.Top}', '${ValueTier.Important}')
        AND ${c.churnScore} >= ${p.highValueAtRisk.minChurnScore}`,
      `${c.churnScore}`,
    ),
  ];
  return `jsonb_path_query_array(jsonb_build_array(${arms.join(',\n')}), '$[*] ? (@ != null)')`;
}

/** The facts behind a tag, in words a manager reads (money as decimal strings, CNY). */
export function tagFacts(tag: PotentialTag, input: TagInput): string[] {
  const money = (v: string) => `${new Money(v).toFixed(2)} CNY`;
  switch (tag) {
    case PotentialTag.WealthManagement:
      return [
        `demand deposits of ${money(input.demandDeposits)} at the date`,
        `${money(input.transactionAmount90d)} moved by the customer over the last 90 days`,
        'holds no wealth product',
      ];
    case PotentialTag.Loan:
      return [
        `daily-average AUM of ${money(input.aumAvg90d)} over the last 90 days`,
        `${input.transactions90d} transactions over the last 90 days`,
        'holds no loan',
      ];
    case PotentialTag.CreditCard:
      return [
        `paid at a terminal (POS) ${input.posCount90d} times over the last 90 days`,
        'holds no credit card',
      ];
    case PotentialTag.PayrollAgency:
      return [
        `${input.otherBankOutCount90d} transfers sent to other banks over the last 90 days`,
        'runs no payroll (代发工资) through this bank',
      ];
    case PotentialTag.MobileActivation:
      return [
        `${input.transactions90d} transactions over the last 90 days at the counter, ATM or terminal`,
        'none by mobile or internet banking',
      ];
    case PotentialTag.HighValueAtRisk:
      return [`${input.valueTier} tier`, `churn score ${input.churnScore}`];
  }
}
