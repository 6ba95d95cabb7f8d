import { ValueTier } from '@crm/contracts';
import { Money } from '@crm/persistence';

/**
 * Value tiers (客户价值分层) by the month-to-date daily-average AUM (日均AUM, CNY) at the close of business:
 *
 *   top (顶级)        average ≥ top threshold
 *   important (重要)  important threshold ≤ average < top threshold
 *   core (核心)       core threshold ≤ average < important threshold
 *   mass (大众)       average < core threshold
 *
 * A figure exactly at a threshold is in the higher tier. A customer with no tier (null) holds no deposit or
 * wealth account at the date and had none with a balance on any day of the month so far.
 * The thresholds are the bank's parameters (strictly decreasing, all positive).
 */
export interface ValueTierThresholds {
  /** Decimal strings, CNY. */
  top: string;
  important: string;
  core: string;
}

export const DEFAULT_VALUE_TIER_THRESHOLDS: ValueTierThresholds = {
  top: '1000000.00',
  important: '300000.00',
  core: '50000.00',
};

/** What a tier is measured on, as of the business date. */
export interface TierInput {
  /** Month-to-date daily-average AUM, decimal string. */
  aumAvgMtd: string;
  /** Deposit and wealth accounts held at the date. */
  assetAccountsHeld: number;
}

export function valueTierOf(input: TierInput, thresholds: ValueTierThresholds): ValueTier | null {
  const average = new Money(input.aumAvgMtd);
  if (input.assetAccountsHeld === 0 && average.isZero()) return null;
  if (average.gte(thresholds.top)) return ValueTier.Top;
  if (average.gte(thresholds.important)) return ValueTier.Important;
  if (average.gte(thresholds.core)) return ValueTier.Core;
  return ValueTier.Mass;
}

/**
 * The same rule as a SQL expression over a row's columns; `thresholds` are the statement's parameter
 * placeholders (numeric). Agreement with `valueTierOf` is checked on Postgres (profile-rules.int-spec).
 */
export function valueTierSql(
  columns: { aumAvgMtd: string; assetAccountsHeld: string },
  thresholds: ValueTierThresholds,
): string {
  const average = columns.aumAvgMtd;
  return `CASE WHEN ${columns.assetAccountsHeld} = 0 AND ${average} = 0 THEN NULL
    WHEN ${average} >= ${thresholds.top} THEN '${ValueTier.Top}'
    WHEN ${average} >= ${thresholds.important} THEN '${ValueTier.Important}'
    WHEN ${average} >= ${thresholds.core} THEN '${ValueTier.Core}'
    ELSE '${ValueTier.Mass}' END`;
}
