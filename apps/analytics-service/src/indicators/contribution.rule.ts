import { ProductKind } from './indicator.rule';

/**
 * Contribution (贡献度): the margin the bank is estimated to earn on a customer's balances, from transfer-price
 * spreads per product kind (the bank's parameters, annual rates: for a deposit, the funds-transfer price less
 * the rate paid; for a loan or card, the rate earned less the funds-transfer price).
 *
 *   margin of a day = Σ over holdings of end-of-day balance × spread of its kind / 365
 *   contribution_day = the business date's margin
 *   contribution_mtd = Σ of each day's margin from the month's first day to the date
 *
 * Both in CNY, rounded half-up to the fen once, at the end. Cards have no daily balance history: each day
 * of the month counts the card's balance at the date.
 */
export interface ContributionSpreads {
  current: string;
  savings: string;
  timeDeposit: string;
  wealthProduct: string;
  loan: string;
  card: string;
}

export const DAYS_IN_YEAR = 365;

export const DEFAULT_CONTRIBUTION_SPREADS: ContributionSpreads = {
  current: '0.018000',
  savings: '0.015000',
  timeDeposit: '0.008000',
  wealthProduct: '0.005000',
  loan: '0.025000',
  card: '0.080000',
};

export const SPREAD_OF_KIND: Readonly<Record<ProductKind, keyof ContributionSpreads>> = {
  [ProductKind.Current]: 'current',
  [ProductKind.Savings]: 'savings',
  [ProductKind.TimeDeposit]: 'timeDeposit',
  [ProductKind.WealthProduct]: 'wealthProduct',
  [ProductKind.Loan]: 'loan',
  [ProductKind.Card]: 'card',
};
