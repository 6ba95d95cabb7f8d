import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { REPORTING_CURRENCY } from '../indicators/indicator.rule';
import { AggregateBy } from '../indicators/indicator.repository';
import { snapshotScopeColumns } from '../scope/customer-scope';

export interface LeaguePeriod {
  from: string;
  to: string;
  days: number;
  /** Whether `from`'s year-to-date day sums are subtracted (the same year). */
  sameYear: boolean;
  attributionDays: number;
}

/** One book's figures over the period; money as decimal strings. */
export interface LeagueFigures {
  key: string;
  name: string | null;
  customers: number;
  aumFrom: string;
  aumTo: string;
  aumGrowth: string;
  aumDailyAverage: string;
  aumDailyAverageGrowth: string;
  newCustomers: number;
  loansFrom: string;
  loansTo: string;
  loanGrowth: string;
  newLoans: number;
  newLoanBalance: string;
  contacts: number;
  contactedCustomers: number;
  conversions: number;
}

/** League-table figures per book over a period, from two close-of-business snapshots and the warehouse. */
@Injectable()
export class LeagueTableRepository {
  constructor(private readonly dataSource: DataSource) {}

  async figures(
    scope: DataScope,
    by: AggregateBy,
    period: LeaguePeriod,
    institutionIds: readonly string[] | null,
  ): Promise<LeagueFigures[]> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const [from, to] = [`${p.add(period.from)}::date`, `${p.add(period.to)}::date`];
    const cny = p.add(REPORTING_CURRENCY);
    const within = institutionIds
      ? `AND t.primary_institution_id = ANY(${p.add(institutionIds)}::text[])`
      : '';
    const inPeriod = (column: string) => `${column} > ${from} AND ${column} <= ${to}`;
    const names =
      by === AggregateBy.Institution
        ? `"${s}".institution n ON n.institution_id = f.key`
        : `"${s}".manager n ON n.manager_id = f.key`;
    return this.dataSource.query(
      `WITH book AS (
         SELECT t.customer_id, t.${by} AS key, t.aum AS aum_to, t.loan_balance AS loans_to,
                t.aum_days_ytd ${period.sameYear ? '- coalesce(b.aum_days_ytd, 0)' : ''} AS aum_days,
                coalesce(b.aum, 0) AS aum_from, coalesce(b.loan_balance, 0) AS loans_from,
                ${inPeriod('t.first_held_on')} AS new_customer
           FROM "${s}".customer_indicator t
           LEFT JOIN "${s}".customer_indicator b ON b.business_date = ${from} AND b.customer_id = t.customer_id
          WHERE t.business_date = ${to} AND t.${by} IS NOT NULL ${within}
            AND ${scopePredicate(scope, snapshotScopeColumns('t'), p)}
       ),
       new_loans AS (
         SELECT l.customer_id, count(*) AS loans, sum(coalesce(at_end.balance, 0)) AS balance
           FROM book JOIN "${s}".loan l ON l.customer_id = book.customer_id
           LEFT JOIN LATERAL (
             SELECT d.balance FROM "${s}".daily_balance d
              WHERE d.holding_type = 'loan' AND d.holding_id = l.loan_id AND d.business_date <= ${to}
              ORDER BY d.business_date DESC LIMIT 1) at_end ON true
          WHERE ${inPeriod('l.disbursed_on')} AND l.currency = ${cny}
          GROUP BY l.customer_id
       ),
       contacts AS (
         SELECT k.campaign_id, k.customer_id, k.business_date, k.product_codes
           FROM book JOIN "${s}".campaign_contact k ON k.customer_id = book.customer_id
          WHERE ${inPeriod('k.business_date')}
       ),
       openings AS (
         SELECT customer_id, product_code, opened_on AS opened FROM "${s}".account
          WHERE opened_on >= ${from} AND opened_on <= ${to} AND customer_id IN (SELECT customer_id FROM contacts)
         UNION ALL
         SELECT customer_id, product_code, disbursed_on FROM "${s}".loan
          WHERE disbursed_on >= ${from} AND disbursed_on <= ${to} AND customer_id IN (SELECT customer_id FROM contacts)
         UNION ALL
         SELECT customer_id, product_code, issued_on FROM "${s}".card
          WHERE issued_on >= ${from} AND issued_on <= ${to} AND customer_id IN (SELECT customer_id FROM contacts)
       ),
       reached AS (
         SELECT k.customer_id, count(*) AS contacts, count(DISTINCT k.campaign_id) AS contacted,
                count(DISTINCT k.campaign_id) FILTER (WHERE k.converted) AS converted
           FROM (SELECT c.*, EXISTS (
                   SELECT 1 FROM openings o
                    WHERE o.customer_id = c.customer_id AND o.product_code = ANY(c.product_codes)
                      AND o.opened >= c.business_date
                      AND o.opened < c.business_date + ${p.add(period.attributionDays)}::int) AS converted
                   FROM contacts c) k
          GROUP BY k.customer_id
       ),
       figures AS (
         SELECT b.key, count(*)::int AS customers,
                sum(b.aum_from) AS aum_from, sum(b.aum_to) AS aum_to, sum(b.aum_days) AS aum_days,
                count(*) FILTER (WHERE b.new_customer)::int AS new_customers,
                sum(b.loans_from) AS loans_from, sum(b.loans_to) AS loans_to,
                coalesce(sum(nl.loans), 0)::int AS new_loans, coalesce(sum(nl.balance), 0) AS new_loan_balance,
                coalesce(sum(r.contacts), 0)::int AS contacts, coalesce(sum(r.contacted), 0)::int AS contacted,
                coalesce(sum(r.converted), 0)::int AS converted
           FROM book b
           LEFT JOIN new_loans nl ON nl.customer_id = b.customer_id
           LEFT JOIN reached r ON r.customer_id = b.customer_id
          GROUP BY b.key
       )
       SELECT f.key, n.name, f.customers,
              f.aum_from::text AS "aumFrom", f.aum_to::text AS "aumTo", (f.aum_to - f.aum_from)::text AS "aumGrowth",
              round(f.aum_days / ${p.add(period.days)}::int, 2)::text AS "aumDailyAverage",
              (round(f.aum_days / ${p.add(period.days)}::int, 2) - f.aum_from)::text AS "aumDailyAverageGrowth",
              f.new_customers AS "newCustomers",
              f.loans_from::text AS "loansFrom", f.loans_to::text AS "loansTo",
              (f.loans_to - f.loans_from)::text AS "loanGrowth",
              f.new_loans AS "newLoans", f.new_loan_balance::numeric(20,2)::text AS "newLoanBalance",
              f.contacts, f.contacted AS "contactedCustomers", f.converted AS conversions
         FROM figures f LEFT JOIN ${names}
        ORDER BY f.key`,
      p.values,
    );
  }
}
