import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { snapshotScopeColumns, wholeCustomerScopeColumns } from '../scope/customer-scope';
import type { CustomerIndicatorsDto, IndicatorAggregateDto } from './indicator.dto';

/** Who an aggregate row is of: the primary institution or the primary manager the snapshot recorded. */
export const AggregateBy = { Institution: 'primary_institution_id', Manager: 'primary_manager_id' } as const;
export type AggregateBy = (typeof AggregateBy)[keyof typeof AggregateBy];

type Row = Record<string, string | number | boolean | null>;

/** The columns of customer_indicator; dates are read as `YYYY-MM-DD` text. */
const INDICATOR_COLUMNS = [
  'business_date',
  'customer_id',
  'primary_institution_id',
  'primary_manager_id',
  'demand_deposits',
  'time_deposits',
  'wealth',
  'deposits',
  'aum',
  'loan_balance',
  'card_balance',
  'liabilities',
  'deposits_avg_mtd',
  'deposits_avg_qtd',
  'deposits_avg_ytd',
  'aum_avg_mtd',
  'aum_avg_qtd',
  'aum_avg_ytd',
  'aum_avg_90d',
  'aum_avg_prev_90d',
  'had_balance_90d',
  'first_held_on',
  'holdings_held',
  'asset_accounts_held',
  'kinds_held',
  'products_held',
  'cross_sell_ratio',
  'txn_count_30d',
  'txn_amount_30d',
  'txn_count_90d',
  'txn_amount_90d',
  'last_txn_date',
  'recency_days',
  'share_counter',
  'share_mobile',
  'share_atm',
  'share_pos',
  'share_online',
  'contribution_day',
  'contribution_mtd',
] as const;
const DATE_COLUMNS = new Set<string>(['business_date', 'first_held_on', 'last_txn_date']);
const money = (v: unknown) => v as string;
const ratio = (v: unknown) => v as string | null;

function toIndicators(r: Row): CustomerIndicatorsDto {
  return {
    customerId: r.customer_id as string,
    businessDate: r.business_date as string,
    primaryInstitutionId: r.primary_institution_id as string | null,
    primaryManagerId: r.primary_manager_id as string | null,
    assets: {
      aum: money(r.aum),
      deposits: money(r.deposits),
      demandDeposits: money(r.demand_deposits),
      timeDeposits: money(r.time_deposits),
      wealth: money(r.wealth),
    },
    liabilities: { total: money(r.liabilities), loans: money(r.loan_balance), cards: money(r.card_balance) },
    dailyAverages: {
      depositsMtd: money(r.deposits_avg_mtd),
      depositsQtd: money(r.deposits_avg_qtd),
      depositsYtd: money(r.deposits_avg_ytd),
      aumMtd: money(r.aum_avg_mtd),
      aumQtd: money(r.aum_avg_qtd),
      aumYtd: money(r.aum_avg_ytd),
      aumLast90Days: money(r.aum_avg_90d),
      aumPrevious90Days: money(r.aum_avg_prev_90d),
    },
    holdings: {
      firstHeldOn: r.first_held_on as string | null,
      held: r.holdings_held as number,
      assetAccounts: r.asset_accounts_held as number,
      kinds: r.kinds_held as number,
      products: r.products_held as number,
      crossSellRatio: money(r.cross_sell_ratio),
      hadBalanceLast90Days: r.had_balance_90d as boolean,
    },
    activity: {
      count30d: r.txn_count_30d as number,
      amount30d: money(r.txn_amount_30d),
      count90d: r.txn_count_90d as number,
      amount90d: money(r.txn_amount_90d),
      lastTransactionDate: r.last_txn_date as string | null,
      recencyDays: r.recency_days as number | null,
    },
    channelShares: {
      counter: ratio(r.share_counter),
      mobile: ratio(r.share_mobile),
      atm: ratio(r.share_atm),
      pos: ratio(r.share_pos),
      online: ratio(r.share_online),
    },
    contribution: { day: money(r.contribution_day), monthToDate: money(r.contribution_mtd) },
  };
}

/** Reads of the indicator snapshots, each in the caller's data scope. */
@Injectable()
export class IndicatorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The customer's figures of the date; null when none, or the customer is outside the scope. */
  async ofCustomer(
    scope: DataScope,
    customerId: string,
    businessDate: string,
  ): Promise<CustomerIndicatorsDto | null> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${INDICATOR_COLUMNS.map((c) => (DATE_COLUMNS.has(c) ? `i.${c}::text AS ${c}` : `i.${c}`)).join(', ')}
         FROM "${s}".customer_indicator i
        WHERE i.business_date = ${p.add(businessDate)}::date AND i.customer_id = ${p.add(customerId)}
          AND ${scopePredicate(scope, wholeCustomerScopeColumns(s, 'i.customer_id'), p)}`,
      p.values,
    );
    return rows.length === 0 ? null : toIndicators(rows[0]);
  }

  /**
   * Sums of the date's figures per primary institution or manager (as the snapshot recorded them), over the
   * rows in the caller's scope, optionally only of the institutions in `institutionIds`.
   */
  async aggregate(
    scope: DataScope,
    by: AggregateBy,
    businessDate: string,
    institutionIds: readonly string[] | null,
  ): Promise<IndicatorAggregateDto[]> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const within = institutionIds
      ? `AND i.primary_institution_id = ANY(${p.add(institutionIds)}::text[])`
      : '';
    const sum = (column: string) => `sum(i.${column})::text`;
    const tier = (t: string | null) =>
      `count(*) FILTER (WHERE pr.value_tier ${t === null ? 'IS NULL' : `= '${t}'`})::int`;
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.${by} AS key, count(*)::int AS customers,
              ${sum('aum')} AS aum, ${sum('deposits')} AS deposits, ${sum('wealth')} AS wealth,
              ${sum('loan_balance')} AS loans, ${sum('card_balance')} AS cards, ${sum('liabilities')} AS liabilities,
              ${sum('deposits_avg_mtd')} AS deposits_avg_mtd, ${sum('deposits_avg_qtd')} AS deposits_avg_qtd,
              ${sum('deposits_avg_ytd')} AS deposits_avg_ytd, ${sum('aum_avg_mtd')} AS aum_avg_mtd,
              ${sum('aum_avg_qtd')} AS aum_avg_qtd, ${sum('aum_avg_ytd')} AS aum_avg_ytd,
              ${sum('contribution_day')} AS contribution_day, ${sum('contribution_mtd')} AS contribution_mtd,
              sum(i.txn_count_30d)::int AS txn_count_30d, ${sum('txn_amount_30d')} AS txn_amount_30d,
              ${tier('top')} AS top, ${tier('important')} AS important, ${tier('core')} AS core,
              ${tier('mass')} AS mass, ${tier(null)} AS untiered
         FROM "${s}".customer_indicator i
         LEFT JOIN "${s}".customer_profile pr
           ON pr.business_date = i.business_date AND pr.customer_id = i.customer_id
        WHERE i.business_date = ${p.add(businessDate)}::date AND i.${by} IS NOT NULL ${within}
          AND ${scopePredicate(scope, snapshotScopeColumns('i'), p)}
        GROUP BY i.${by} ORDER BY i.${by}`,
      p.values,
    );
    return rows.map((r) => ({
      key: r.key as string,
      customers: r.customers as number,
      aum: money(r.aum),
      deposits: money(r.deposits),
      wealth: money(r.wealth),
      loans: money(r.loans),
      cards: money(r.cards),
      liabilities: money(r.liabilities),
      depositsAvgMtd: money(r.deposits_avg_mtd),
      depositsAvgQtd: money(r.deposits_avg_qtd),
      depositsAvgYtd: money(r.deposits_avg_ytd),
      aumAvgMtd: money(r.aum_avg_mtd),
      aumAvgQtd: money(r.aum_avg_qtd),
      aumAvgYtd: money(r.aum_avg_ytd),
      contributionDay: money(r.contribution_day),
      contributionMtd: money(r.contribution_mtd),
      txnCount30d: r.txn_count_30d as number,
      txnAmount30d: money(r.txn_amount_30d),
      tiers: {
        top: r.top as number,
        important: r.important as number,
        core: r.core as number,
        mass: r.mass as number,
        none: r.untiered as number,
      },
    }));
  }
}
