import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventTypes, type TransactionPostedPayload } from '@crm/contracts';
import { BatchKey, type EventBatch } from '@crm/messaging';
import { schemaOf } from '@crm/persistence';
import type { FlowEntry } from '../rules/flow-window.util';
import type { Direction, WindowEntry } from './flow-window.store';

export interface FlowSubjectRef {
  customerId: string;
  accountId: string;
}

export const windowKeyOf = (accountId: string, direction: Direction): string => `${accountId}:${direction}`;

/** What a batch knows of flow_entry beyond the database: the ids already there, the rows still to insert. */
interface BatchFlows {
  known: Set<string>;
  pending: WindowEntry[];
}

/** A window's entries as loaded, and the booking time (ms) from which they are all there. */
export interface BookedWindow {
  from: number;
  entries: FlowEntry[];
}

const BATCH_FLOWS = new BatchKey<Promise<BatchFlows>>('flow-entry.batch');

/**
 * The durable facts behind the windows (flow_entry), written in the event's transaction: a batch's new
 * entries in one insert just before it commits, after one read of which of its entries are known already.
 */
@Injectable()
export class FlowEntryRepository {
  /**
   * Records booked entries, in order; for each, false when it is already known: a redelivery, or an entry
   * whose reversal arrived first (a tombstone), which must not enter the windows.
   */
  async record(tx: EntityManager, batch: EventBatch, entries: readonly WindowEntry[]): Promise<boolean[]> {
    const flows = await this.flowsOf(tx, batch);
    return entries.map((e) => {
      if (flows.known.has(e.entry.transactionId)) return false;
      flows.known.add(e.entry.transactionId);
      flows.pending.push(e);
      return true;
    });
  }

  /**
   * Marks an entry reversed and returns it as the windows hold it, or null when it was not in them. A
   * reversal that overtakes its entry leaves a tombstone, so the entry is ignored when it arrives.
   */
  async reverse(
    tx: EntityManager,
    batch: EventBatch,
    subject: FlowSubjectRef,
    reversedTransactionId: string,
    tombstone: { direction: Direction; at: number; amount: string; currency: string },
  ): Promise<{ direction: Direction; entry: FlowEntry } | null> {
    const flows = await this.flowsOf(tx, batch);
    await this.insertPending(tx, flows);
    const s = schemaOf(tx.connection);
    const [rows]: [
      { direction: Direction; at: string; amount: string; currency: string; to_other_bank: boolean }[],
    ] = await tx.query(
      `UPDATE "${s}".flow_entry SET reversed = true
          WHERE transaction_id = $1 AND NOT reversed
          RETURNING direction, (extract(epoch FROM booked_at) * 1000)::bigint AS at, amount::text, currency, to_other_bank`,
      [reversedTransactionId],
    );
    if (rows.length === 0) {
      await tx.query(
        `INSERT INTO "${s}".flow_entry
           (transaction_id, account_id, customer_id, direction, booked_at, amount, currency, to_other_bank, reversed)
         VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7, false, true)
         ON CONFLICT (transaction_id) DO NOTHING`,
        [
          reversedTransactionId,
          subject.accountId,
          subject.customerId,
          tombstone.direction,
          tombstone.at,
          tombstone.amount,
          tombstone.currency,
        ],
      );
      flows.known.add(reversedTransactionId);
      return null;
    }
    const r = rows[0];
    return {
      direction: r.direction,
      entry: {
        transactionId: reversedTransactionId,
        at: Number(r.at),
        amount: r.amount,
        currency: r.currency,
        toOtherBank: r.to_other_bank,
      },
    };
  }

  /**
   * The entries not reversed of each account and direction booked after `from` and before `until` (ms; null:
   * no end), by windowKeyOf, those recorded in this batch included. With `keepMs`, `from` is first raised to
   * that long before the window's newest entry, so a window reloaded for an old posting holds what the live
   * ones need rather than the account's whole history since; each window's `from` is the one applied.
   */
  async booked(
    tx: EntityManager,
    batch: EventBatch,
    windows: readonly {
      accountId: string;
      direction: Direction;
      from: number;
      until: number | null;
      keepMs?: number;
    }[],
  ): Promise<Map<string, BookedWindow>> {
    await this.insertPending(tx, await this.flowsOf(tx, batch));
    const s = schemaOf(tx.connection);
    const rows: {
      account_id: string;
      direction: Direction;
      from_ms: number;
      transaction_id: string | null;
      at: string;
      amount: string;
      currency: string;
      to_other_bank: boolean;
    }[] = await tx.query(
      // direction as char(4), the column's type: compared as text, the index would serve account_id alone.
      `WITH w AS MATERIALIZED (
         SELECT w.*, greatest(w.from_ms, CASE WHEN w.keep_ms IS NOT NULL THEN (
                  SELECT extract(epoch FROM n.booked_at) * 1000 - w.keep_ms FROM "${s}".flow_entry n
                   WHERE n.account_id = w.account_id AND n.direction = w.direction AND NOT n.reversed
                   ORDER BY n.booked_at DESC LIMIT 1
                ) END)::float8 AS start_ms
           FROM unnest($1::text[], $2::char(4)[], $3::float8[], $4::float8[], $5::float8[])
                AS w(account_id, direction, from_ms, until_ms, keep_ms)
       )
       SELECT w.account_id, w.direction, w.start_ms AS from_ms, f.transaction_id,
              (extract(epoch FROM f.booked_at) * 1000)::bigint AS at, f.amount::text, f.currency, f.to_other_bank
         FROM w
         LEFT JOIN "${s}".flow_entry f
           ON f.account_id = w.account_id AND f.direction = w.direction AND NOT f.reversed
          AND f.booked_at > to_timestamp(w.start_ms / 1000.0)
          AND f.booked_at < coalesce(to_timestamp(w.until_ms / 1000.0), 'infinity')`,
      [
        windows.map((w) => w.accountId),
        windows.map((w) => w.direction),
        windows.map((w) => w.from),
        windows.map((w) => w.until),
        windows.map((w) => w.keepMs ?? null),
      ],
    );
    const byWindow = new Map<string, BookedWindow>();
    for (const r of rows) {
      const key = windowKeyOf(r.account_id, r.direction);
      const window = byWindow.get(key) ?? { from: r.from_ms, entries: [] };
      byWindow.set(key, window);
      if (r.transaction_id === null) continue;
      window.entries.push({
        transactionId: r.transaction_id,
        at: Number(r.at),
        amount: r.amount,
        currency: r.currency,
        toOtherBank: r.to_other_bank,
      });
    }
    return byWindow;
  }

  private flowsOf(tx: EntityManager, batch: EventBatch): Promise<BatchFlows> {
    return batch.once(BATCH_FLOWS, async () => {
      const ids = batch.events.flatMap((e) =>
        e.type === EventTypes.TransactionPosted ? [(e.data as TransactionPostedPayload).transactionId] : [],
      );
      const known: { transaction_id: string }[] =
        ids.length === 0
          ? []
          : await tx.query(
              `SELECT transaction_id FROM "${schemaOf(tx.connection)}".flow_entry WHERE transaction_id = ANY($1)`,
              [ids],
            );
      const flows: BatchFlows = { known: new Set(known.map((k) => k.transaction_id)), pending: [] };
      batch.beforeCommit(() => this.insertPending(tx, flows));
      return flows;
    });
  }

  private async insertPending(tx: EntityManager, flows: BatchFlows): Promise<void> {
    if (flows.pending.length === 0) return;
    const rows = flows.pending.splice(0);
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".flow_entry
         (transaction_id, account_id, customer_id, direction, booked_at, amount, currency, to_other_bank)
       SELECT transaction_id, account_id, customer_id, direction, to_timestamp(at_ms / 1000.0), amount, currency, to_other_bank
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::numeric[], $7::text[], $8::bool[])
           AS e(transaction_id, account_id, customer_id, direction, at_ms, amount, currency, to_other_bank)
       ON CONFLICT (transaction_id) DO NOTHING`,
      [
        rows.map((r) => r.entry.transactionId),
        rows.map((r) => r.subject.accountId),
        rows.map((r) => r.subject.customerId),
        rows.map((r) => r.direction),
        rows.map((r) => r.entry.at),
        rows.map((r) => r.entry.amount),
        rows.map((r) => r.entry.currency),
        rows.map((r) => r.entry.toOtherBank),
      ],
    );
  }
}
