import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MarketingChannel } from '@crm/contracts';
import { queryPrepared, schemaOf } from '@crm/persistence';
import { LedgerEntry, ledgerInsertSql } from '../dispatch/dispatch.repository';
import {
  CustomerFacts,
  CustomerFactsRow,
  customerFactsColumns,
  customerFactsOf,
} from '../customers/customer-facts.repository';
import { OfferCandidate } from './next-best-offer.rule';

/** A customer showing up on a channel at a moment. */
export interface DecisionAsk {
  customerId: string;
  channel: MarketingChannel;
  at: Date;
}

/** A decision as recorded, with the contact it made when it presented an offer. */
export interface RecordedDecision {
  decision: {
    decisionId: string;
    customerId: string;
    channel: MarketingChannel;
    campaignId: string | null;
    productCodes: string[];
    reason: string | null;
    context: object;
    decidedBy: string;
    decidedAt: Date;
  };
  contact: LedgerEntry | null;
}

/** What a decision about one customer is made from. */
export interface DecisionInputs {
  candidates: OfferCandidate[];
  /** The customer's primary institution, whose policy applies; null when no coverage is known. */
  institutionId: string | null;
  facts: CustomerFacts;
}

export interface DecisionRow {
  decision_id: string;
  customer_id: string;
  channel: MarketingChannel;
  campaign_id: string | null;
  product_codes: string[];
  response: string | null;
}

@Injectable()
export class OffersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * For each customer asked about: the running campaigns on the channel that hold them as a treatment
   * target not yet closed, their primary institution (whose policy applies), and their facts for the
   * products those campaigns offer. One statement for every decision of a tick.
   */
  async decisionInputs(asked: readonly DecisionAsk[]): Promise<DecisionInputs[]> {
    const s = `"${schemaOf(this.dataSource)}"`;
    const rows: ({
      i: number;
      customer_id: string;
      primary_institution_id: string | null;
      candidates: OfferCandidate[];
    } & CustomerFactsRow)[] = await queryPrepared(
      this.dataSource,
      `WITH asked AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(i int, customer_id text, channel text, at timestamptz))
       SELECT a.i, a.customer_id, cov.primary_institution_id, coalesce(cand.list, '[]') AS candidates,
              ${customerFactsColumns(s, 'a.customer_id', 'offered.products')}
         FROM asked a
         LEFT JOIN ${s}.coverage cov ON cov.customer_id = a.customer_id
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object(
                    'campaignId', c.campaign_id, 'priority', c.priority, 'productCodes', c.product_codes,
                    'conversionValue', c.conversion_value::text, 'message', c.templates->>a.channel)
                    ORDER BY c.campaign_id) AS list
             FROM ${s}.target t JOIN ${s}.campaign c USING (campaign_id)
            WHERE t.customer_id = a.customer_id AND t.arm = 'treatment' AND t.state <> 'closed'
              AND c.status = 'running' AND a.channel = ANY(c.channels) AND c.starts_at <= a.at AND c.ends_at > a.at
         ) cand ON true
         LEFT JOIN LATERAL (
           SELECT coalesce(array_agg(DISTINCT p), '{}') AS products
             FROM json_array_elements(cand.list) e, json_array_elements_text(e->'productCodes') p
         ) offered ON true
        ORDER BY a.i`,
      [JSON.stringify(asked.map((a, i) => ({ i, customer_id: a.customerId, channel: a.channel, at: a.at })))],
    );
    return rows.map((r) => ({
      candidates: r.candidates,
      institutionId: r.primary_institution_id,
      facts: customerFactsOf(r.customer_id, r),
    }));
  }

  /**
   * The decisions and, for each offer made, its contact in the ledger and the target marked contacted (a
   * presented offer is the campaign's contact: no outbound one follows it), in one statement: atomic, and
   * one round trip for every decision of a tick on the hot path of the lobby and the app.
   */
  async recordDecisions(decisions: readonly RecordedDecision[]): Promise<void> {
    const s = schemaOf(this.dataSource);
    const contacts = decisions.flatMap((d) => (d.contact ? [d.contact] : []));
    await queryPrepared(
      this.dataSource,
      `WITH decision AS (
         INSERT INTO "${s}".offer_decision
           (decision_id, customer_id, channel, campaign_id, product_codes, reason, context, decided_by, decided_at)
         SELECT "decisionId", "customerId", channel, "campaignId", "productCodes", reason, context, "decidedBy", "decidedAt"
           FROM jsonb_to_recordset($1::jsonb) AS r("decisionId" uuid, "customerId" text, channel text,
                "campaignId" text, "productCodes" text[], reason text, context jsonb, "decidedBy" text,
                "decidedAt" timestamptz)
       ), contact AS (${ledgerInsertSql(s, '$2')}
       ), contacted AS (
         UPDATE "${s}".target t SET state = 'contacted', attempts = t.attempts + 1
           FROM jsonb_to_recordset($2::jsonb) AS k("campaignId" text, "customerId" text)
          WHERE t.campaign_id = k."campaignId" AND t.customer_id = k."customerId" AND t.state = 'pending'
       )
       SELECT 1`,
      [JSON.stringify(decisions.map((d) => d.decision)), JSON.stringify(contacts)],
    );
  }

  async findDecision(tx: EntityManager, decisionId: string): Promise<DecisionRow | undefined> {
    const rows: DecisionRow[] = await tx.query(
      `SELECT decision_id, customer_id, channel, campaign_id, product_codes, response
         FROM "${schemaOf(tx.connection)}".offer_decision WHERE decision_id = $1 FOR UPDATE`,
      [decisionId],
    );
    return rows[0];
  }

  async recordResponse(tx: EntityManager, decisionId: string, response: string): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".offer_decision SET response = $2, responded_at = clock_timestamp()
        WHERE decision_id = $1`,
      [decisionId, response],
    );
  }
}
