import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MarketingChannel } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import { LedgerEntry, ledgerInsertSql } from '../dispatch/dispatch.repository';
import { OfferCandidate } from './next-best-offer.rule';

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

  /** Running campaigns on `channel` that hold the customer as a treatment target not yet closed. */
  async candidates(customerId: string, channel: MarketingChannel, at: Date): Promise<OfferCandidate[]> {
    const s = `"${schemaOf(this.dataSource)}"`;
    const rows: {
      campaign_id: string;
      priority: number;
      product_codes: string[];
      conversion_value: string;
      message: string;
    }[] = await this.dataSource.query(
      `SELECT c.campaign_id, c.priority, c.product_codes, c.conversion_value, c.templates->>$2 AS message
           FROM ${s}.target t JOIN ${s}.campaign c USING (campaign_id)
          WHERE t.customer_id = $1 AND t.arm = 'treatment' AND t.state <> 'closed'
            AND c.status = 'running' AND $2 = ANY(c.channels) AND c.starts_at <= $3 AND c.ends_at > $3`,
      [customerId, channel, at],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      priority: r.priority,
      productCodes: r.product_codes,
      conversionValue: r.conversion_value,
      message: r.message,
    }));
  }

  /**
   * The decision and, when an offer was made, its contact in the ledger and the target marked contacted
   * (a presented offer is the campaign's contact: no outbound one follows it), in one statement: atomic,
   * and one round trip on the hot path of the lobby and the app.
   */
  async recordDecision(
    d: {
      decisionId: string;
      customerId: string;
      channel: MarketingChannel;
      campaignId: string | null;
      productCodes: string[];
      reason: string | null;
      context: object;
      decidedBy: string;
      decidedAt: Date;
    },
    contact: LedgerEntry | null,
  ): Promise<void> {
    const s = schemaOf(this.dataSource);
    await this.dataSource.query(
      `WITH decision AS (
         INSERT INTO "${s}".offer_decision
           (decision_id, customer_id, channel, campaign_id, product_codes, reason, context, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ), contact AS (${ledgerInsertSql(s, '$10')}
       ), contacted AS (
         UPDATE "${s}".target SET state = 'contacted', attempts = attempts + 1
          WHERE campaign_id = $4 AND customer_id = $2 AND state = 'pending' AND $11::boolean
       )
       SELECT 1`,
      [
        d.decisionId,
        d.customerId,
        d.channel,
        d.campaignId,
        d.productCodes,
        d.reason,
        JSON.stringify(d.context),
        d.decidedBy,
        d.decidedAt,
        JSON.stringify(contact ? [contact] : []),
        contact !== null,
      ],
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
