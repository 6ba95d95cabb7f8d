import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BankTransactionCodes } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { Shard, shardPredicate } from '../cob/cob-shard';
import { DAYS_IN_YEAR, SPREAD_OF_KIND, type ContributionSpreads } from './contribution.rule';
import {
  ASSET_KINDS,
  CUSTOMER_CHANNELS,
  DEMAND_DEPOSIT_KINDS,
  DEPOSIT_KINDS,
  MATURING_KINDS,
  PRODUCT_KINDS,
  ProductKind,
  REPORTING_CURRENCY,
  type IndicatorPeriods,
} from './indicator.rule';

/** What one shard's indicators of a date are computed from, besides the warehouse. */
export interface IndicatorRunInput {
  periods: IndicatorPeriods;
  /** The instant the business date ends (the next date's start in the bank's zone). */
  endOfDay: Date;
  spreads: ContributionSpreads;
  shard: Shard;
}

/** Credit transfers sent (PMNT-ICDT-*), and among them an employer's payroll batch. */
const CREDIT_TRANSFER_SENT = 'PMNT-ICDT-';
const PAYROLL_SENT = BankTransactionCodes.PayrollSent;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Writes a business date's `customer_indicator` rows for a shard of customers, set-based: one DELETE of the
 * shard's rows of the date and one INSERT … SELECT over the warehouse, reading only facts of the date and
 * before (a backfill sees what was known at that date's end, the facts that arrived since included).
 */
@Injectable()
export class IndicatorSnapshotRepository {
  /** Replaces the shard's rows of the date; how many customers it wrote. */
  async write(tx: EntityManager, input: IndicatorRunInput): Promise<number> {
    const s = schemaOf(tx.connection);
    const { periods: w, shard } = input;
    // The planner cannot estimate the shard's hash predicate, so its row counts are off by 100×; on them JIT
    // compiled some 300 functions for 5 s a shard, and gained less than that.
    await tx.query('SET LOCAL jit = off');
    const old = new SqlParams();
    await tx.query(
      `DELETE FROM "${s}".customer_indicator WHERE business_date = ${old.add(w.businessDate)}::date
          AND ${shardPredicate('customer_id', shard, old)}`,
      old.values,
    );

    const p = new SqlParams();
    const date = `${p.add(w.businessDate)}::date`;
    const inShard = (column: string) => shardPredicate(column, shard, p);
    const day = (value: string) => `${p.add(value)}::date`;
    const [monthStart, quarterStart, yearStart] = [w.monthStart, w.quarterStart, w.yearStart].map(day);
    const [last30, last90, prev90From, prev90To, earliest, monthBefore, prior90From] = [
      w.last30From,
      w.last90From,
      w.prev90From,
      w.prev90To,
      w.earliest,
      w.monthBefore,
      w.prior90From,
    ].map(day);
    const endOfDay = `${p.add(input.endOfDay.toISOString())}::timestamptz`;
    const cny = p.add(REPORTING_CURRENCY);
    const spreads = PRODUCT_KINDS.map(
      (kind) => `('${kind}', ${p.add(input.spreads[SPREAD_OF_KIND[kind]])}::numeric)`,
    ).join(', ');
    const cardSpread = `${p.add(input.spreads[SPREAD_OF_KIND[ProductKind.Card]])}::numeric`;

    // Days of [from, to] a stated balance stands for: from its date to the day before the next one.
    const days = (from: string, to: string) =>
      `greatest(0, least(last_day, ${to}) - greatest(first_day, ${from}) + 1)`;
    // Balance × the days it stands for within [from, to]; the numeric product, the costly part, only where they overlap.
    const overlap = (from: string, to: string) =>
      `sum(balance * ${days(from, to)}) FILTER (WHERE ${days(from, to)} > 0)`;
    const average = (daySum: string, n: number) => `round(coalesce(${daySum}, 0)::numeric(48,20) / ${n}, 2)`;
    const share = (count: string) =>
      `CASE WHEN a.txn_count_90d > 0 THEN round(a.${count}::numeric(48,20) / a.txn_count_90d, 4) END`;
    const ofKinds = (kinds: string, holdingSum: string) => `sum(${holdingSum}) FILTER (WHERE ${kinds})`;
    const channelCounts = CUSTOMER_CHANNELS.map(
      (c) => `count(*) FILTER (WHERE f.business_date >= ${last90} AND f.channel = '${c}') AS ${c}_90d`,
    ).join(',\n          ');

    const [{ written }] = await tx.query(
      `WITH population AS (
         SELECT c.customer_id FROM "${s}".customer c
          WHERE (c.registered_on IS NULL OR c.registered_on <= ${date}) AND ${inShard('c.customer_id')}
       ),
       coverage_at AS (
         SELECT DISTINCT ON (h.customer_id) h.customer_id, h.primary_institution_id, h.primary_manager_id
           FROM "${s}".coverage_history h
          WHERE h.changed_at < ${endOfDay} AND ${inShard('h.customer_id')}
          ORDER BY h.customer_id, h.version DESC
       ),
       stated AS (
         SELECT b.customer_id, b.holding_type, b.holding_id, b.balance, b.business_date AS first_day,
                coalesce(lead(b.business_date) OVER (PARTITION BY b.holding_type, b.holding_id
                                                     ORDER BY b.business_date) - 1, ${date}) AS last_day
           FROM "${s}".daily_balance b
          WHERE b.business_date <= ${date} AND b.currency = ${cny} AND ${inShard('b.customer_id')}
       ),
       -- Summed per holding first, in the window's order, so the kinds and spreads apply to a holding's sums,
       -- not to each of its stated days.
       holding_balances AS (
         SELECT customer_id, holding_type, holding_id,
                sum(balance) FILTER (WHERE last_day = ${date}) AS at_date,
                sum(balance) FILTER (WHERE first_day <= ${monthBefore} AND last_day >= ${monthBefore}) AS at_month_before,
                ${overlap(monthStart, date)} AS days_mtd,
                ${overlap(quarterStart, date)} AS days_qtd,
                ${overlap(yearStart, date)} AS days_ytd,
                ${overlap(last90, date)} AS days_90,
                ${overlap(prev90From, prev90To)} AS days_prev_90,
                bool_or(balance <> 0 AND ${days(last90, date)} > 0) AS had_balance_90d
           FROM stated
          WHERE last_day >= ${earliest}
          GROUP BY holding_type, holding_id, customer_id
       ),
       balances AS (
         SELECT x.customer_id,
                ${ofKinds('demand', 'at_date')} AS demand_deposits,
                ${ofKinds('time_deposit', 'at_date')} AS time_deposits,
                ${ofKinds('wealth', 'at_date')} AS wealth,
                ${ofKinds('loan', 'at_date')} AS loan_balance,
                ${ofKinds('deposit', 'days_mtd')} AS deposit_days_mtd,
                ${ofKinds('deposit', 'days_qtd')} AS deposit_days_qtd,
                ${ofKinds('deposit', 'days_ytd')} AS deposit_days_ytd,
                ${ofKinds('asset', 'days_mtd')} AS aum_days_mtd,
                ${ofKinds('asset', 'days_qtd')} AS aum_days_qtd,
                ${ofKinds('asset', 'days_ytd')} AS aum_days_ytd,
                ${ofKinds('asset', 'days_90')} AS aum_days_90d,
                ${ofKinds('asset', 'days_prev_90')} AS aum_days_prev_90d,
                ${ofKinds('asset', 'at_month_before')} AS aum_30d_before,
                bool_or(had_balance_90d) AS had_balance_90d,
                sum(at_date * coalesce(sp.spread, 0)) AS margin_day_x365,
                sum(days_mtd * coalesce(sp.spread, 0)) AS margin_mtd_x365
           FROM (SELECT hb.*, k.kind, k.kind IN (${list(DEMAND_DEPOSIT_KINDS)}) AS demand,
                        k.kind IN (${list(DEPOSIT_KINDS)}) AS deposit, k.kind IN (${list(ASSET_KINDS)}) AS asset,
                        k.kind = '${ProductKind.TimeDeposit}' AS time_deposit,
                        k.kind = '${ProductKind.WealthProduct}' AS wealth, k.kind = '${ProductKind.Loan}' AS loan
                   FROM holding_balances hb
                   LEFT JOIN "${s}".account a ON hb.holding_type = 'account' AND a.account_id = hb.holding_id
                   CROSS JOIN LATERAL (SELECT CASE WHEN hb.holding_type = 'loan' THEN '${ProductKind.Loan}'
                                                   ELSE a.kind END AS kind) k) x
           LEFT JOIN (VALUES ${spreads}) sp(kind, spread) ON sp.kind = x.kind
          GROUP BY x.customer_id
       ),
       holdings AS (
         SELECT a.customer_id, a.kind, a.product_code, a.opened_on AS since,
                (a.closed_on IS NULL OR a.closed_on > ${date}) AS held
           FROM "${s}".account a
          WHERE a.opened_on <= ${date} AND a.kind IS NOT NULL AND a.currency = ${cny}
            AND ${inShard('a.customer_id')}
         UNION ALL
         SELECT l.customer_id, '${ProductKind.Loan}', l.product_code, l.disbursed_on,
                (l.settled_on IS NULL OR l.settled_on > ${date})
           FROM "${s}".loan l
          WHERE l.disbursed_on <= ${date} AND l.currency = ${cny} AND ${inShard('l.customer_id')}
         UNION ALL
         SELECT k.customer_id, '${ProductKind.Card}', k.product_code, k.issued_on, true
           FROM "${s}".card k
          WHERE k.issued_on <= ${date} AND k.currency = ${cny} AND ${inShard('k.customer_id')}
       ),
       holding_counts AS (
         SELECT customer_id, min(since) AS first_held_on,
                count(*) FILTER (WHERE held) AS holdings_held,
                count(*) FILTER (WHERE held AND kind IN (${list(ASSET_KINDS)})) AS asset_accounts_held,
                count(DISTINCT kind) FILTER (WHERE held) AS kinds_held,
                count(DISTINCT product_code) FILTER (WHERE held) AS products_held,
                count(*) FILTER (WHERE held AND kind = '${ProductKind.WealthProduct}') AS wealth_products_held,
                count(*) FILTER (WHERE held AND kind = '${ProductKind.Loan}') AS loans_held,
                count(*) FILTER (WHERE held AND kind = '${ProductKind.Card}') AS cards_held
           FROM holdings GROUP BY customer_id
       ),
       closures AS (
         SELECT a.customer_id,
                count(*) FILTER (WHERE NOT matured) AS accounts_closed_30d,
                count(*) FILTER (WHERE matured) AS matured_not_renewed_30d
           FROM (SELECT customer_id, kind IN (${list(MATURING_KINDS)}) AND closed_on >= maturity_date AS matured
                   FROM "${s}".account
                  WHERE closed_on > ${monthBefore} AND closed_on <= ${date} AND kind IS NOT NULL
                    AND ${inShard('customer_id')}) a
          GROUP BY a.customer_id
       ),
       card_stated AS (
         SELECT DISTINCT ON (c.card_id) c.card_id, c.balance, c.as_of
           FROM "${s}".card_stated_balance c
          WHERE c.as_of < ${endOfDay} AND ${inShard('c.customer_id')}
          ORDER BY c.card_id, c.as_of DESC
       ),
       card_spent AS (
         SELECT f.holding_id AS card_id, sum(f.amount) AS spent
           FROM "${s}".transaction_fact f LEFT JOIN card_stated cs ON cs.card_id = f.holding_id
          WHERE f.source = 'card' AND f.business_date <= ${date} AND f.currency = ${cny}
            AND (cs.as_of IS NULL OR f.booked_at > cs.as_of) AND ${inShard('f.customer_id')}
          GROUP BY f.holding_id
       ),
       card_balances AS (
         SELECT k.customer_id, sum(coalesce(cs.balance, 0) + coalesce(sp.spent, 0)) AS card_balance
           FROM "${s}".card k
           LEFT JOIN card_stated cs ON cs.card_id = k.card_id
           LEFT JOIN card_spent sp ON sp.card_id = k.card_id
          WHERE k.issued_on <= ${date} AND k.currency = ${cny} AND ${inShard('k.customer_id')}
          GROUP BY k.customer_id
       ),
       activity AS (
         SELECT f.customer_id,
                count(*) FILTER (WHERE f.business_date >= ${last30}) AS txn_count_30d,
                sum(f.amount) FILTER (WHERE f.business_date >= ${last30} AND f.currency = ${cny}) AS txn_amount_30d,
                count(*) FILTER (WHERE f.business_date >= ${last90}) AS txn_count_90d,
                sum(f.amount) FILTER (WHERE f.business_date >= ${last90} AND f.currency = ${cny}) AS txn_amount_90d,
                max(f.business_date) AS last_txn_date,
                count(*) FILTER (WHERE f.business_date BETWEEN ${prior90From} AND ${monthBefore}) AS txn_count_prior_90d,
                ${channelCounts}
           FROM "${s}".transaction_fact f
          WHERE f.business_date >= ${prior90From} AND f.business_date <= ${date}
            AND f.channel IN (${list(CUSTOMER_CHANNELS)}) AND ${inShard('f.customer_id')}
          GROUP BY f.customer_id
       ),
       -- The last transaction of those with none in the periods above: older months are read for them only.
       earlier_activity AS (
         SELECT f.customer_id, max(f.business_date) AS last_txn_date
           FROM "${s}".transaction_fact f
          WHERE f.business_date < ${prior90From} AND f.channel IN (${list(CUSTOMER_CHANNELS)})
            AND ${inShard('f.customer_id')}
            AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.customer_id = f.customer_id)
          GROUP BY f.customer_id
       ),
       outflows AS (
         SELECT f.customer_id,
                count(*) FILTER (WHERE f.other_bank AND f.business_date >= ${last30}) AS other_bank_out_count_30d,
                sum(f.amount) FILTER (WHERE f.other_bank AND f.business_date >= ${last30} AND f.currency = ${cny})
                  AS other_bank_out_amount_30d,
                count(*) FILTER (WHERE f.other_bank) AS other_bank_out_count_90d,
                count(*) FILTER (WHERE f.bank_transaction_code = '${PAYROLL_SENT}') AS payroll_batches_90d
           FROM "${s}".transaction_fact f
          WHERE f.source = 'account' AND f.direction = 'DBIT' AND f.reversal_of IS NULL
            AND f.bank_transaction_code LIKE '${CREDIT_TRANSFER_SENT}%'
            AND f.business_date >= ${last90} AND f.business_date <= ${date} AND ${inShard('f.customer_id')}
          GROUP BY f.customer_id
       ),
       inserted AS (
         INSERT INTO "${s}".customer_indicator (business_date, customer_id, primary_institution_id,
           primary_manager_id, demand_deposits, time_deposits, wealth, deposits, aum, loan_balance, card_balance,
           liabilities, deposits_avg_mtd, deposits_avg_qtd, deposits_avg_ytd, aum_avg_mtd, aum_avg_qtd,
           aum_avg_ytd, aum_avg_90d, aum_avg_prev_90d, had_balance_90d, first_held_on, holdings_held,
           asset_accounts_held, kinds_held, products_held, cross_sell_ratio, txn_count_30d, txn_amount_30d,
           txn_count_90d, txn_amount_90d, last_txn_date, recency_days, share_counter, share_mobile, share_atm,
           share_pos, share_online, contribution_day, contribution_mtd, aum_30d_before, txn_count_prior_90d,
           pos_count_90d, remote_count_90d, other_bank_out_count_30d, other_bank_out_amount_30d,
           other_bank_out_count_90d, payroll_batches_90d, accounts_closed_30d, matured_not_renewed_30d,
           wealth_products_held, loans_held, cards_held, aum_days_ytd)
         SELECT ${date}, pop.customer_id, cv.primary_institution_id, cv.primary_manager_id,
                coalesce(b.demand_deposits, 0), coalesce(b.time_deposits, 0), coalesce(b.wealth, 0),
                coalesce(b.demand_deposits, 0) + coalesce(b.time_deposits, 0),
                coalesce(b.demand_deposits, 0) + coalesce(b.time_deposits, 0) + coalesce(b.wealth, 0),
                coalesce(b.loan_balance, 0), coalesce(cb.card_balance, 0),
                coalesce(b.loan_balance, 0) + coalesce(cb.card_balance, 0),
                ${average('b.deposit_days_mtd', w.daysMtd)}, ${average('b.deposit_days_qtd', w.daysQtd)},
                ${average('b.deposit_days_ytd', w.daysYtd)},
                ${average('b.aum_days_mtd', w.daysMtd)}, ${average('b.aum_days_qtd', w.daysQtd)},
                ${average('b.aum_days_ytd', w.daysYtd)},
                ${average('b.aum_days_90d', 90)}, ${average('b.aum_days_prev_90d', 90)},
                coalesce(b.had_balance_90d, false) OR coalesce(cb.card_balance, 0) <> 0,
                h.first_held_on, coalesce(h.holdings_held, 0), coalesce(h.asset_accounts_held, 0),
                coalesce(h.kinds_held, 0), coalesce(h.products_held, 0),
                round(coalesce(h.kinds_held, 0)::numeric(48,20) / ${PRODUCT_KINDS.length}, 4),
                coalesce(a.txn_count_30d, 0), coalesce(a.txn_amount_30d, 0),
                coalesce(a.txn_count_90d, 0), coalesce(a.txn_amount_90d, 0),
                coalesce(a.last_txn_date, ea.last_txn_date), ${date} - coalesce(a.last_txn_date, ea.last_txn_date),
                ${CUSTOMER_CHANNELS.map((c) => share(`${c}_90d`)).join(', ')},
                round((coalesce(b.margin_day_x365, 0) + coalesce(cb.card_balance, 0) * ${cardSpread})::numeric(48,20)
                      / ${DAYS_IN_YEAR}, 2),
                round((coalesce(b.margin_mtd_x365, 0) + coalesce(cb.card_balance, 0) * ${cardSpread} * ${w.daysMtd})
                      ::numeric(48,20) / ${DAYS_IN_YEAR}, 2),
                coalesce(b.aum_30d_before, 0), coalesce(a.txn_count_prior_90d, 0),
                coalesce(a.pos_90d, 0), coalesce(a.mobile_90d + a.online_90d, 0),
                coalesce(o.other_bank_out_count_30d, 0), coalesce(o.other_bank_out_amount_30d, 0),
                coalesce(o.other_bank_out_count_90d, 0), coalesce(o.payroll_batches_90d, 0),
                coalesce(cl.accounts_closed_30d, 0), coalesce(cl.matured_not_renewed_30d, 0),
                coalesce(h.wealth_products_held, 0), coalesce(h.loans_held, 0), coalesce(h.cards_held, 0),
                coalesce(b.aum_days_ytd, 0)
           FROM population pop
           LEFT JOIN coverage_at cv ON cv.customer_id = pop.customer_id
           LEFT JOIN balances b ON b.customer_id = pop.customer_id
           LEFT JOIN holding_counts h ON h.customer_id = pop.customer_id
           LEFT JOIN card_balances cb ON cb.customer_id = pop.customer_id
           LEFT JOIN activity a ON a.customer_id = pop.customer_id
           LEFT JOIN earlier_activity ea ON ea.customer_id = pop.customer_id
           LEFT JOIN outflows o ON o.customer_id = pop.customer_id
           LEFT JOIN closures cl ON cl.customer_id = pop.customer_id
         RETURNING 1
       )
       SELECT count(*)::int AS written FROM inserted`,
      p.values,
    );
    return written;
  }
}
