import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { FlowEntry } from '../rules/flow-window.util';
import type { Direction } from './flow-window.store';

export interface FlowSubjectRef {
  customerId: string;
  accountId: string;
}

/** The durable facts behind the windows (flow_entry), written in the event's transaction. */
@Injectable()
export class FlowEntryRepository {
  /**
   * Records a booked entry; false when it is already known: a redelivery, or an entry whose reversal
   * arrived first (a tombstone), which must not enter the windows.
   */
  async record(
    tx: EntityManager,
    subject: FlowSubjectRef,
    direction: Direction,
    entry: FlowEntry,
  ): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".flow_entry
         (transaction_id, account_id, customer_id, direction, booked_at, amount, currency, to_other_bank)
       VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7, $8)
       ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id`,
      [
        entry.transactionId,
        subject.accountId,
        subject.customerId,
        direction,
        entry.at,
        entry.amount,
        entry.currency,
        entry.toOtherBank,
      ],
    );
    return inserted.length > 0;
  }

  /**
   * Marks an entry reversed and returns it as the windows hold it, or null when it was not in them. A
   * reversal that overtakes its entry leaves a tombstone, so the entry is ignored when it arrives.
   */
  async reverse(
    tx: EntityManager,
    subject: FlowSubjectRef,
    reversedTransactionId: string,
    tombstone: { direction: Direction; at: number; amount: string; currency: string },
  ): Promise<{ direction: Direction; entry: FlowEntry } | null> {
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
}
