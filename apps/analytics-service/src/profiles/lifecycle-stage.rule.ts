import { addDays } from '@crm/calendar';
import { LifecycleStage } from '@crm/contracts';
import { Money } from '@crm/persistence';

/**
 * Lifecycle stage (客户生命周期) at a close of business, the first of these that holds:
 *
 * 1. prospect (潜在): has never held a product (deposit or wealth account, loan, card) by the date.
 * 2. lost (流失): holds no product at the date (all closed or settled); or, over the last `LOST_AFTER_DAYS`
 *    days, no product had a balance on any day and the customer made no transaction, and the first product is
 *    at least that old (a card counts by what is owed at the date: cards have no daily history).
 * 3. new (新客户): the first product was taken within the last `NEW_WITHIN_DAYS` days.
 * 4. declining (衰退): the daily-average AUM of the last 90 days fell by more than `DECLINE_SHARE` against the
 *    90 days before them.
 * 5. growing (成长): the first product was taken within the last `GROWING_WITHIN_DAYS` days, or the daily-
 *    average AUM of the last 90 days rose by more than `GROWTH_SHARE` against the 90 days before (from
 *    nothing to something counts).
 * 6. mature (成熟): everyone else: a relationship of a year or more, its AUM steady.
 *
 * "Within the last N days" counts the date itself: the first product on or after date − (N − 1).
 */
export const NEW_WITHIN_DAYS = 90;
export const LOST_AFTER_DAYS = 90;
export const GROWING_WITHIN_DAYS = 365;
export const DECLINE_SHARE = '0.20';
export const GROWTH_SHARE = '0.10';

const DECLINE_FACTOR = new Money(1).minus(DECLINE_SHARE).toString();
const GROWTH_FACTOR = new Money(1).plus(GROWTH_SHARE).toString();

export interface LifecycleInput {
  businessDate: string;
  /** The first day any product was held, up to the date; null when none ever was. */
  firstHeldOn: string | null;
  /** Products held at the date. */
  holdingsHeld: number;
  /** Whether any product had a non-zero balance on one of the last 90 days (the date included). */
  hadBalance90d: boolean;
  /** Customer-initiated transactions over the last 90 days. */
  transactions90d: number;
  /** Daily-average AUM of the last 90 days and of the 90 days before them, decimal strings. */
  aumAvg90d: string;
  aumAvgPrev90d: string;
}

const isWithin = (date: string, businessDate: string, days: number) => date > addDays(businessDate, -days);

export function lifecycleStageOf(input: LifecycleInput): LifecycleStage {
  const { businessDate, firstHeldOn } = input;
  if (firstHeldOn === null) return LifecycleStage.Prospect;
  if (input.holdingsHeld === 0) return LifecycleStage.Lost;
  const dormant = !input.hadBalance90d && input.transactions90d === 0;
  if (dormant && !isWithin(firstHeldOn, businessDate, LOST_AFTER_DAYS)) return LifecycleStage.Lost;
  if (isWithin(firstHeldOn, businessDate, NEW_WITHIN_DAYS)) return LifecycleStage.New;
  const [recent, before] = [new Money(input.aumAvg90d), new Money(input.aumAvgPrev90d)];
  if (before.gt(0) && recent.lt(before.times(DECLINE_FACTOR))) return LifecycleStage.Declining;
  if (isWithin(firstHeldOn, businessDate, GROWING_WITHIN_DAYS) || recent.gt(before.times(GROWTH_FACTOR)))
    return LifecycleStage.Growing;
  return LifecycleStage.Mature;
}

/**
 * The same rule as a SQL expression over a row's columns (`businessDate` a date expression). Agreement with
 * `lifecycleStageOf` is checked on Postgres (profile-rules.int-spec).
 */
export function lifecycleStageSql(c: {
  businessDate: string;
  firstHeldOn: string;
  holdingsHeld: string;
  hadBalance90d: string;
  transactions90d: string;
  aumAvg90d: string;
  aumAvgPrev90d: string;
}): string {
  const within = (days: number) => `${c.firstHeldOn} > ${c.businessDate} - ${days}`;
  return `CASE WHEN ${c.firstHeldOn} IS NULL THEN '${LifecycleStage.Prospect}'
    WHEN ${c.holdingsHeld} = 0 THEN '${LifecycleStage.Lost}'
    WHEN NOT ${c.hadBalance90d} AND ${c.transactions90d} = 0 AND NOT (${within(LOST_AFTER_DAYS)})
      THEN '${LifecycleStage.Lost}'
    WHEN ${within(NEW_WITHIN_DAYS)} THEN '${LifecycleStage.New}'
    WHEN ${c.aumAvgPrev90d} > 0 AND ${c.aumAvg90d} < ${c.aumAvgPrev90d} * ${DECLINE_FACTOR}
      THEN '${LifecycleStage.Declining}'
    WHEN ${within(GROWING_WITHIN_DAYS)} OR ${c.aumAvg90d} > ${c.aumAvgPrev90d} * ${GROWTH_FACTOR}
      THEN '${LifecycleStage.Growing}'
    ELSE '${LifecycleStage.Mature}' END`;
}
