import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, coverageProjectionScopeColumns, scopePredicate } from '@crm/security';
import { Arm } from './control-group.rule';

/** Where a target came from. */
export const TargetSource = { Search: 'search', Upload: 'upload', Event: 'event' } as const;
export type TargetSource = (typeof TargetSource)[keyof typeof TargetSource];

/** When a campaign's contacts may be due: from launch (or its start) to its end. */
export interface ContactWindow {
  from: Date;
  until: Date;
}

/** SQL: a target's due time, at the fraction of the window a hash of campaign and customer gives. */
const placeIn = (campaign: string, customer: string, from: string, until: string): string =>
  `${from}::timestamptz + ((${until}::timestamptz - ${from}::timestamptz)
     * (('x' || substr(md5(${campaign} || ':' || ${customer}), 1, 8))::bit(32)::bigint / 4294967296.0))`;

export interface NewTarget {
  customerId: string;
  arm: Arm;
}

@Injectable()
export class TargetRepository {
  /** Of `customerIds`, those `scope` covers (the campaign owner's subtree). */
  async coveredBy(tx: EntityManager, scope: DataScope, customerIds: readonly string[]): Promise<Set<string>> {
    const s = schemaOf(tx.connection);
    const params = new SqlParams();
    const ids = params.add(customerIds);
    const rows: { id: string }[] = await tx.query(
      `SELECT t.id FROM unnest(${ids}::text[]) AS t(id)
        WHERE ${scopePredicate(scope, coverageProjectionScopeColumns(s, 't.id'), params)}`,
      params.values,
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Adds targets not already on the list, each due at its place in `window` (see spreadOverPeriod); how
   * many were new. Control targets are held back from the start: they are never contacted.
   */
  async add(
    tx: EntityManager,
    campaignId: string,
    source: TargetSource,
    targets: readonly NewTarget[],
    window: ContactWindow,
  ): Promise<number> {
    if (targets.length === 0) return 0;
    const rows: unknown[] = await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".target (campaign_id, customer_id, arm, source, state, due_at)
       SELECT $1, t.customer_id, t.arm, $2, CASE WHEN t.arm = 'control' THEN 'held-back' ELSE 'pending' END,
              ${placeIn('$1', 't.customer_id', '$5', '$6')}
         FROM unnest($3::text[], $4::text[]) AS t(customer_id, arm)
       ON CONFLICT (campaign_id, customer_id) DO NOTHING
       RETURNING 1`,
      [
        campaignId,
        source,
        targets.map((t) => t.customerId),
        targets.map((t) => t.arm),
        window.from,
        window.until,
      ],
    );
    return rows.length;
  }

  /**
   * Spreads a launched campaign's pending contacts evenly over what is left of its period: each target's
   * place is a hash of campaign and customer, so a relaunch or a second instance schedules alike.
   */
  async spreadOverPeriod(tx: EntityManager, campaignId: string, window: ContactWindow): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".target SET due_at = ${placeIn('campaign_id', 'customer_id', '$2', '$3')}
        WHERE campaign_id = $1 AND state = 'pending'`,
      [campaignId, window.from, window.until],
    );
  }

  /** Targets still pending when the campaign ends could not be contacted within it. */
  async closePending(tx: EntityManager, campaignId: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".target SET state = 'closed', last_reason = coalesce(last_reason, $2)
        WHERE campaign_id = $1 AND state = 'pending'`,
      [campaignId, reason],
    );
  }
}
