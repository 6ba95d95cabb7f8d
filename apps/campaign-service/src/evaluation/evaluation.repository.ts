import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MarketingChannel } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { CampaignStatus } from '../campaigns/campaign-lifecycle.rule';
import { CAMPAIGN_SCOPE } from '../campaigns/campaign.repository';
import { Arm } from '../targets/control-group.rule';
import { CUSTOMER_ANSWERS } from './evaluation.rule';

type Counts = { key: string; count: number }[];

/** The ledger's outcomes of a contact made. */
const MADE = `('sent', 'delivered')`;

/** One arm's figures, or (arm null) both arms together. */
export interface ArmFigures {
  arm: Arm | null;
  targeted: number;
  contactedCustomers: number;
  contacts: number;
  suppressed: number;
  converted: number;
  /** This campaign's contacts per targeted customer; mean a decimal string, two decimals. */
  contactsPerCustomer: { mean: string; max: number };
  /** Every campaign's contacts of the same customers while this one ran. */
  allCampaignsContactsPerCustomer: { mean: string; max: number };
}

export interface EvaluationFigures {
  campaign: {
    campaignId: string;
    name: string;
    status: CampaignStatus;
    costPerContact: Partial<Record<MarketingChannel, string>>;
    conversionValue: string;
    currency: string;
    startsAt: string;
    endsAt: string;
    attributionDays: number;
    /** After it no product opened counts for the campaign: the last contact's window, or control's. */
    attributionEndsAt: string;
  };
  arms: ArmFigures[];
  /** Contact attempts by outcome: sent, delivered, suppressed, deferred, failed. */
  byOutcome: Counts;
  /** Suppressed attempts by reason (lost arbitration counted as one reason, whoever won). */
  suppressedBy: Counts;
  /** Contacts made, by channel. */
  byChannel: { channel: MarketingChannel; contacts: number }[];
  /** Manager tasks done and offers answered, by what came of them. */
  responses: { source: 'task' | 'offer'; outcome: string; count: number }[];
  /** Customers who answered (CUSTOMER_ANSWERS) at least once. */
  respondedCustomers: number;
}

/** A campaign's evaluation figures in one statement, for a campaign the caller's scope holds. */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when there is no such campaign in `scope`. */
  async figures(scope: DataScope, campaignId: string): Promise<EvaluationFigures | undefined> {
    const s = `"${schemaOf(this.dataSource)}"`;
    const params = new SqlParams();
    const campaign = `SELECT c.* FROM ${s}.campaign c
      WHERE c.campaign_id = ${params.add(campaignId)} AND ${scopePredicate(scope, CAMPAIGN_SCOPE, params)}`;
    const answers = params.add(CUSTOMER_ANSWERS);
    const made = `outcome IN ${MADE}`;
    const counts = (key: string, only: string) =>
      `(SELECT coalesce(json_agg(json_build_object('key', key, 'count', n) ORDER BY n DESC, key), '[]')
          FROM (SELECT ${key} AS key, count(*)::int AS n FROM k WHERE ${only} GROUP BY 1) g)`;
    const perCustomer = (column: string) =>
      `json_build_object('mean', coalesce(round(avg(${column}), 2), 0.00)::text, 'max', coalesce(max(${column}), 0))`;
    const rows: { figures: EvaluationFigures }[] = await this.dataSource.query(
      `WITH c AS MATERIALIZED (${campaign}),
       k AS MATERIALIZED (
         SELECT k.customer_id, k.channel, k.outcome, k.reason, k.recorded_at FROM ${s}.contact k
          WHERE k.campaign_id = (SELECT campaign_id FROM c)),
       targets AS MATERIALIZED (
         SELECT customer_id, arm FROM ${s}.target WHERE campaign_id = (SELECT campaign_id FROM c)),
       own AS (
         SELECT customer_id, count(*) FILTER (WHERE ${made})::int AS made,
                count(*) FILTER (WHERE outcome = 'suppressed')::int AS suppressed
           FROM k GROUP BY customer_id),
       pressure AS (
         SELECT a.customer_id, count(*)::int AS n
           FROM targets t JOIN ${s}.contact a ON a.customer_id = t.customer_id
          WHERE a.outcome IN ${MADE}
            AND a.recorded_at >= (SELECT starts_at FROM c) AND a.recorded_at < (SELECT ends_at FROM c)
          GROUP BY a.customer_id),
       per_target AS (
         SELECT t.arm,
                coalesce(own.made, 0) AS own,
                coalesce(own.suppressed, 0) AS suppressed,
                coalesce(pressure.n, 0) AS pressure,
                v.customer_id IS NOT NULL AS converted
           FROM targets t
           LEFT JOIN own ON own.customer_id = t.customer_id
           LEFT JOIN pressure ON pressure.customer_id = t.customer_id
           LEFT JOIN ${s}.conversion v
                  ON v.campaign_id = (SELECT campaign_id FROM c) AND v.customer_id = t.customer_id),
       arms AS (
         SELECT json_build_object(
                  'arm', arm,
                  'targeted', count(*)::int,
                  'contactedCustomers', count(*) FILTER (WHERE own > 0)::int,
                  'contacts', coalesce(sum(own), 0)::int,
                  'suppressed', coalesce(sum(suppressed), 0)::int,
                  'converted', count(*) FILTER (WHERE converted)::int,
                  'contactsPerCustomer', ${perCustomer('own')},
                  'allCampaignsContactsPerCustomer', ${perCustomer('pressure')}) AS arm
           FROM per_target GROUP BY ROLLUP (arm)),
       answered AS (
         SELECT 'task' AS source, customer_id, outcome FROM ${s}.task
          WHERE campaign_id = (SELECT campaign_id FROM c) AND status = 'done'
         UNION ALL
         SELECT 'offer', customer_id, response FROM ${s}.offer_decision
          WHERE campaign_id = (SELECT campaign_id FROM c) AND response IS NOT NULL)
       SELECT json_build_object(
         'campaign', json_build_object(
           'campaignId', c.campaign_id,
           'name', c.name,
           'status', c.status,
           'costPerContact', c.cost_per_contact,
           'conversionValue', c.conversion_value::text,
           'currency', c.currency,
           'startsAt', c.starts_at,
           'endsAt', c.ends_at,
           'attributionDays', c.attribution_days,
           'attributionEndsAt', greatest(c.ends_at, (SELECT max(recorded_at) FROM k WHERE ${made}))
                                + make_interval(days => c.attribution_days)),
         'arms', (SELECT json_agg(arm) FROM arms),
         'byOutcome', ${counts('outcome', 'TRUE')},
         'suppressedBy', ${counts(`CASE WHEN reason LIKE 'lost-arbitration:%' THEN 'lost-arbitration' ELSE reason END`, `outcome = 'suppressed'`)},
         'byChannel', (SELECT coalesce(json_agg(json_build_object('channel', channel, 'contacts', n) ORDER BY n DESC, channel), '[]')
                         FROM (SELECT channel, count(*)::int AS n FROM k WHERE ${made} GROUP BY 1) g),
         'responses', (SELECT coalesce(json_agg(json_build_object('source', source, 'outcome', outcome, 'count', n)
                                                ORDER BY source, n DESC, outcome), '[]')
                         FROM (SELECT source, outcome, count(*)::int AS n FROM answered GROUP BY 1, 2) g),
         'respondedCustomers', (SELECT count(DISTINCT customer_id)::int FROM answered
                                 WHERE outcome = ANY(${answers}::text[]))) AS figures
         FROM c`,
      params.values,
    );
    return rows[0]?.figures;
  }
}
