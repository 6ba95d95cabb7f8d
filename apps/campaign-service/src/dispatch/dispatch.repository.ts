import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MarketingChannel } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import type { CountedContact } from '../policy/contact-counters.rule';
import { LONGEST_CAP_PERIOD_MS } from '../policy/contact-policy.rule';

/** A pending target whose contact is due, with what arbitration and the policy need of its campaign. */
export interface DueTarget {
  campaign_id: string;
  customer_id: string;
  due_at: Date;
  attempts: number;
}

/**
 * Where a dispatch pass has got to: the last customer locked, by the due time of their first target (UTC,
 * to the microsecond, in a fixed format: later cursors sort after earlier ones as text).
 */
export interface DueCursor {
  dueAt: string;
  customerId: string;
}

/** One row of the contact ledger. */
export interface LedgerEntry {
  contactId: string;
  campaignId: string;
  customerId: string;
  channel: MarketingChannel;
  outcome: 'sent' | 'suppressed' | 'deferred';
  reason: string | null;
  institutionId: string | null;
  managerId: string | null;
  phoneHash: string | null;
  emailHash: string | null;
  dueAt: Date;
  /** The dispatcher's clock when it decided: the time the counters scored it with. */
  recordedAt: Date;
}

const REBUILD_BATCH = 5_000;

/**
 * SQL appending the LedgerEntry rows of the JSON array parameter `param` to the ledger (a retried contact is
 * recorded once). One JSON document for all rows: serialised natively, where arrays of strings would be
 * escaped character by character by the driver.
 */
export const ledgerInsertSql = (schema: string, param: string): string =>
  `INSERT INTO "${schema}".contact (contact_id, campaign_id, customer_id, channel, outcome, reason, institution_id,
     manager_id, phone_hash, email_hash, due_at, recorded_at)
   SELECT "contactId", "campaignId", "customerId", channel, outcome, reason, "institutionId", "managerId",
          "phoneHash", "emailHash", "dueAt", "recordedAt"
     FROM jsonb_to_recordset(${param}::jsonb) AS r("contactId" uuid, "campaignId" text, "customerId" text,
          channel text, outcome text, reason text, "institutionId" text, "managerId" text, "phoneHash" text,
          "emailHash" text, "dueAt" timestamptz, "recordedAt" timestamptz)
   ON CONFLICT (contact_id) DO NOTHING`;

/** The dispatcher's SQL: due targets, the ledger, and where each target goes next. */
@Injectable()
export class DispatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  private s(tx: EntityManager): string {
    return `"${schemaOf(tx.connection)}"`;
  }

  /**
   * Locks the due targets of up to `limit` customers of running campaigns, and with them every other pending
   * target of the same customers due by `slotEnd` (the rest of the business day): campaigns competing for a
   * customer are judged together, whichever came due first. A customer's first pending target (by due time,
   * then campaign) stands for the customer: only the transaction that locks it takes the customer's other
   * targets (waiting for one a launch or an offer holds a moment), so two dispatchers never judge one
   * customer's campaigns apart, where a lower priority could take the slot before the higher one is seen.
   * Customers come in (due time, customer) order, from after `after`: a pass goes on where its last batch
   * ended instead of walking again over the index entries its batches left behind (dead until a vacuum).
   * The running campaigns are named, not joined: a campaign table too small to have statistics made the
   * planner scan and sort every pending target for each batch.
   */
  async lockDue(
    tx: EntityManager,
    now: Date,
    slotEnd: Date,
    limit: number,
    after: DueCursor | null,
  ): Promise<{ targets: DueTarget[]; last: DueCursor | null }> {
    const s = this.s(tx);
    const running: { campaign_id: string }[] = await tx.query(
      `SELECT campaign_id FROM ${s}.campaign WHERE status = 'running' AND starts_at <= $1`,
      [now],
    );
    if (running.length === 0) return { targets: [], last: null };
    const rows: (DueTarget & { last_due_at: string; last_customer_id: string })[] = await tx.query(
      `WITH due AS (
         SELECT t.customer_id, t.due_at FROM ${s}.target t
          WHERE t.state = 'pending' AND t.due_at <= $1 AND t.campaign_id = ANY($4::text[])
            AND (t.due_at, t.customer_id) > ($5::timestamptz, $6::text)
            AND NOT EXISTS (
              SELECT 1 FROM ${s}.target e
               WHERE e.customer_id = t.customer_id AND e.state = 'pending' AND e.campaign_id = ANY($4::text[])
                 AND (e.due_at, e.campaign_id) < (t.due_at, t.campaign_id))
          ORDER BY t.due_at, t.customer_id LIMIT $3
          FOR UPDATE OF t SKIP LOCKED)
       SELECT t.campaign_id, t.customer_id, t.due_at, t.attempts,
              to_char(l.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_due_at,
              l.customer_id AS last_customer_id
         FROM ${s}.target t
         CROSS JOIN (SELECT due_at, customer_id FROM due ORDER BY due_at DESC, customer_id DESC LIMIT 1) l
        WHERE t.customer_id IN (SELECT customer_id FROM due) AND t.state = 'pending' AND t.due_at < $2
          AND t.campaign_id = ANY($4::text[])
        ORDER BY t.customer_id, t.campaign_id
        FOR UPDATE OF t`,
      [
        now,
        slotEnd,
        limit,
        running.map((c) => c.campaign_id),
        after?.dueAt ?? '-infinity',
        after?.customerId ?? '',
      ],
    );
    if (rows.length === 0) return { targets: [], last: null };
    return {
      targets: rows.map((r) => ({
        campaign_id: r.campaign_id,
        customer_id: r.customer_id,
        due_at: r.due_at,
        attempts: r.attempts,
      })),
      last: { dueAt: rows[0].last_due_at, customerId: rows[0].last_customer_id },
    };
  }

  async record(tx: EntityManager, entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(ledgerInsertSql(schemaOf(tx.connection), '$1'), [JSON.stringify(entries)]);
  }

  /** Where each target goes next: contacted, closed for good, or due again later. */
  async moveTargets(
    tx: EntityManager,
    moves: readonly {
      campaignId: string;
      customerId: string;
      state: string;
      dueAt: Date;
      reason: string | null;
    }[],
  ): Promise<void> {
    if (moves.length === 0) return;
    await tx.query(
      `UPDATE ${this.s(tx)}.target t SET state = m.state, due_at = m."dueAt", last_reason = m.reason,
              attempts = t.attempts + 1
         FROM jsonb_to_recordset($1::jsonb)
              AS m("campaignId" text, "customerId" text, state text, "dueAt" timestamptz, reason text)
        WHERE t.campaign_id = m."campaignId" AND t.customer_id = m."customerId"`,
      [JSON.stringify(moves)],
    );
  }

  /** Every contact made within the longest cap period, in batches: what the Redis counters are rebuilt from. */
  async *madeSince(now: number): AsyncGenerator<CountedContact[]> {
    const s = `"${schemaOf(this.dataSource)}"`;
    const since = new Date(now - LONGEST_CAP_PERIOD_MS);
    let after: [Date, string] = [since, '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const rows: {
        contact_id: string;
        customer_id: string;
        channel: MarketingChannel;
        phone_hash: string | null;
        email_hash: string | null;
        manager_id: string | null;
        recorded_at: Date;
      }[] = await this.dataSource.query(
        `SELECT contact_id, customer_id, channel, phone_hash, email_hash, manager_id, recorded_at FROM ${s}.contact
          WHERE outcome IN ('sent', 'delivered') AND (recorded_at, contact_id) > ($1, $2::uuid)
          ORDER BY recorded_at, contact_id LIMIT ${REBUILD_BATCH}`,
        after,
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        contactId: r.contact_id,
        customerId: r.customer_id,
        channel: r.channel,
        phoneHash: r.phone_hash,
        emailHash: r.email_hash,
        managerId: r.manager_id,
        at: r.recorded_at.getTime(),
      }));
      const last = rows[rows.length - 1];
      after = [last.recorded_at, last.contact_id];
    }
  }
}
