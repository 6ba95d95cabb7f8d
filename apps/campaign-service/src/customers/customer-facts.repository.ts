import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountKind, ConsentChannel, ConsentStatus, PotentialTag } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

/** What the contact policy knows about one customer, read in one query per batch of customers. */
export interface CustomerFacts {
  customerId: string;
  optedOut: Set<ConsentChannel>;
  doNotContact: string | null;
  phoneHash: string | null;
  emailHash: string | null;
  heldProducts: Set<string>;
  /** Latest decline per product (ms). */
  declinedAt: Map<string, number>;
  /** Potential-tag scores (0 to 100) of analytics-service's latest profile; empty without one. */
  tagScores: Map<PotentialTag, number>;
  /** The kind of each product asked about that core banking has reported an opening of. */
  productKinds: Map<string, HoldingKind>;
}

/** What kind of product a holding is: a deposit or wealth account's kind, a loan or a credit card. */
export const HoldingKind = { ...AccountKind, Loan: 'loan', Card: 'card' } as const;
export type HoldingKind = (typeof HoldingKind)[keyof typeof HoldingKind];

/** What a customer holds: product codes, and how many products of each kind. */
export interface Holdings {
  productCodes: string[];
  byKind: Partial<Record<HoldingKind, number>>;
}

/** A product the customer now holds, and the campaigns whose contact it may be the conversion of. */
export interface ProductOpened {
  customerId: string;
  productCode: string;
  kind: HoldingKind;
  openedAt: string;
  sourceEventId: string;
}

/**
 * The service's own copies of what other services and core banking say about customers: consent per
 * channel (crm.customer), contact points as keyed hashes (corebank.customer), products held
 * (corebank.account/loan/card); and what the bank recorded here: do-not-contact reasons, offer responses.
 */
@Injectable()
export class CustomerFactsRepository {
  private s(tx: EntityManager): string {
    return `"${schemaOf(tx.connection)}"`;
  }

  /** Keeps the latest statement per channel: an older change arriving late changes nothing. */
  async upsertConsent(
    tx: EntityManager,
    c: { customerId: string; channel: ConsentChannel; status: ConsentStatus; changedAt: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s(tx)}.consent AS c (customer_id, channel, status, changed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id, channel) DO UPDATE SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
       WHERE c.changed_at < EXCLUDED.changed_at`,
      [c.customerId, c.channel, c.status, c.changedAt],
    );
  }

  async upsertContactPoint(
    tx: EntityManager,
    customerId: string,
    phoneHash: string,
    at: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s(tx)}.contact_point AS p (customer_id, phone_hash, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET phone_hash = EXCLUDED.phone_hash, updated_at = EXCLUDED.updated_at
       WHERE p.updated_at <= EXCLUDED.updated_at`,
      [customerId, phoneHash, at],
    );
  }

  /**
   * Holds the customers until the transaction ends (taken in id order, so two holders cannot deadlock):
   * their contacts and their products are recorded one transaction at a time. A dispatch dates a
   * contact when it decides and commits it later; an opening recorded in between would not see the contact
   * it converts, and a contact decided while an opening commits would offer what the customer just opened.
   */
  async lockCustomers(tx: EntityManager, customerIds: readonly string[]): Promise<void> {
    const s = schemaOf(tx.connection);
    const keys = [...new Set(customerIds)].sort().map((id) => `${s}:customer:${id}`);
    await tx.query(
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($1::text[]) AS k`,
      [keys],
    );
  }

  /**
   * Records the holding and, for every campaign that contacted the customer with an offer of this
   * product within its attribution window (or held them back as control while it ran), the conversion,
   * once per campaign and customer. How many conversions it recorded.
   */
  async recordProductOpened(tx: EntityManager, p: ProductOpened): Promise<number> {
    const s = this.s(tx);
    await this.lockCustomers(tx, [p.customerId]);
    // The product's kind too, for the propensity rule: written only when it is new or changed.
    await tx.query(
      `WITH known_kind AS (
         INSERT INTO ${s}.product AS pr (product_code, kind) VALUES ($2, $4)
         ON CONFLICT (product_code) DO UPDATE SET kind = EXCLUDED.kind WHERE pr.kind <> EXCLUDED.kind)
       INSERT INTO ${s}.holding (customer_id, product_code, opened_at, kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id, product_code)
       DO UPDATE SET opened_at = least(${s}.holding.opened_at, EXCLUDED.opened_at), kind = EXCLUDED.kind`,
      [p.customerId, p.productCode, p.openedAt, p.kind],
    );
    const rows: unknown[] = await tx.query(
      `INSERT INTO ${s}.conversion (campaign_id, customer_id, product_code, arm, converted_at, source_event_id)
       SELECT c.campaign_id, t.customer_id, $2, t.arm, $3, $4
         FROM ${s}.target t JOIN ${s}.campaign c ON c.campaign_id = t.campaign_id
        WHERE t.customer_id = $1 AND $2 = ANY(c.product_codes) AND c.status <> 'draft'
          AND (
            (t.arm = 'treatment' AND EXISTS (
               SELECT 1 FROM ${s}.contact k
                WHERE k.campaign_id = t.campaign_id AND k.customer_id = t.customer_id
                  AND k.outcome IN ('sent', 'delivered')
                  AND k.recorded_at <= $3::timestamptz
                  AND $3::timestamptz < k.recorded_at + make_interval(days => c.attribution_days)))
            OR (t.arm = 'control' AND c.starts_at <= $3::timestamptz
                AND $3::timestamptz < c.ends_at + make_interval(days => c.attribution_days)))
       ON CONFLICT (campaign_id, customer_id) DO NOTHING
       RETURNING 1`,
      [p.customerId, p.productCode, p.openedAt, p.sourceEventId],
    );
    return rows.length;
  }

  /** Everything each customer holds (those holding nothing are left out). */
  async holdingsOf(tx: EntityManager, customerIds: readonly string[]): Promise<Map<string, Holdings>> {
    const rows: { customer_id: string; product_code: string; kind: HoldingKind | null }[] = await tx.query(
      `SELECT customer_id, product_code, kind FROM ${this.s(tx)}.holding
        WHERE customer_id = ANY($1) ORDER BY customer_id, opened_at, product_code`,
      [customerIds],
    );
    const holdings = new Map<string, Holdings>();
    for (const row of rows) {
      const held = holdings.get(row.customer_id) ?? { productCodes: [], byKind: {} };
      held.productCodes.push(row.product_code);
      // Holdings recorded before kinds were kept have none until their product is seen again.
      if (row.kind) held.byKind[row.kind] = (held.byKind[row.kind] ?? 0) + 1;
      holdings.set(row.customer_id, held);
    }
    return holdings;
  }

  async setDoNotContact(
    tx: EntityManager,
    customerId: string,
    entry: { reason: string; note: string | null; setBy: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s(tx)}.do_not_contact (customer_id, reason, note, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note,
         set_by = EXCLUDED.set_by, set_at = clock_timestamp()`,
      [customerId, entry.reason, entry.note, entry.setBy],
    );
  }

  async clearDoNotContact(tx: EntityManager, customerId: string): Promise<boolean> {
    const [rows]: [unknown[]] = await tx.query(
      `DELETE FROM ${this.s(tx)}.do_not_contact WHERE customer_id = $1 RETURNING 1`,
      [customerId],
    );
    return rows.length > 0;
  }

  async recordResponse(
    tx: EntityManager,
    r: {
      customerId: string;
      productCodes: string[];
      campaignId: string;
      channel: string;
      outcome: string;
      at: Date;
      by: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s(tx)}.offer_response (customer_id, product_code, campaign_id, channel, outcome, responded_at, recorded_by)
       SELECT $1, p, $3, $4, $5, $6, $7 FROM unnest($2::text[]) AS p`,
      [r.customerId, r.productCodes, r.campaignId, r.channel, r.outcome, r.at, r.by],
    );
  }

  /** The facts of each customer, for products `productCodes` (holdings and declines of others are not read). */
  async factsOf(
    tx: EntityManager,
    customerIds: readonly string[],
    productCodes: readonly string[],
  ): Promise<Map<string, CustomerFacts>> {
    const rows: ({ customer_id: string } & CustomerFactsRow)[] = await tx.query(
      `SELECT ids.id AS customer_id, ${customerFactsColumns(this.s(tx), 'ids.id', '$2')}
         FROM unnest($1::text[]) AS ids(id)`,
      [customerIds, productCodes],
    );
    return new Map(rows.map((r) => [r.customer_id, customerFactsOf(r.customer_id, r)]));
  }
}

/** The columns `customerFactsColumns` selects. */
export interface CustomerFactsRow {
  opted_out: ConsentChannel[];
  dnc_reason: string | null;
  phone_hash: string | null;
  email_hash: string | null;
  held: string[];
  declines: { product: string; at: string }[];
  tag_scores: Partial<Record<PotentialTag, number>> | null;
  product_kinds: Record<string, HoldingKind>;
}

/**
 * The select list of one customer's facts, for a query of its own or for one that reads more with them:
 * `customerId` and `productCodes` are SQL expressions (a text and a text[]) naming whose and which products.
 */
export const customerFactsColumns = (s: string, customerId: string, productCodes: string): string => `
  coalesce((SELECT array_agg(channel) FROM ${s}.consent
             WHERE customer_id = ${customerId} AND status = 'opted-out'), '{}') AS opted_out,
  (SELECT reason FROM ${s}.do_not_contact WHERE customer_id = ${customerId}) AS dnc_reason,
  (SELECT phone_hash FROM ${s}.contact_point WHERE customer_id = ${customerId}) AS phone_hash,
  (SELECT email_hash FROM ${s}.contact_point WHERE customer_id = ${customerId}) AS email_hash,
  coalesce((SELECT array_agg(product_code) FROM ${s}.holding
             WHERE customer_id = ${customerId} AND product_code = ANY(${productCodes})), '{}') AS held,
  coalesce((SELECT json_agg(json_build_object('product', product_code, 'at', max_at)) FROM (
             SELECT product_code, max(responded_at) AS max_at FROM ${s}.offer_response
              WHERE customer_id = ${customerId} AND outcome = 'declined' AND product_code = ANY(${productCodes})
              GROUP BY product_code) d), '[]') AS declines,
  (SELECT tag_scores FROM ${s}.analytic_profile WHERE customer_id = ${customerId}) AS tag_scores,
  coalesce((SELECT json_object_agg(product_code, kind) FROM ${s}.product
             WHERE product_code = ANY(${productCodes})), '{}') AS product_kinds`;

export const customerFactsOf = (customerId: string, r: CustomerFactsRow): CustomerFacts => ({
  customerId,
  optedOut: new Set(r.opted_out),
  doNotContact: r.dnc_reason,
  phoneHash: r.phone_hash,
  emailHash: r.email_hash,
  heldProducts: new Set(r.held),
  declinedAt: new Map(r.declines.map((d) => [d.product, Date.parse(d.at)])),
  tagScores: new Map(Object.entries(r.tag_scores ?? {}) as [PotentialTag, number][]),
  productKinds: new Map(Object.entries(r.product_kinds)),
});
