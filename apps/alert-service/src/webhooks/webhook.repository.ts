import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { AlertRow } from '../alerts/alert.repository';

export const DeliveryStatus = {
  Pending: 'pending',
  Delivered: 'delivered',
  Dead: 'dead',
  Cancelled: 'cancelled',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export interface SubscriptionRow {
  id: string;
  url: string;
  secret_enc: string;
  kinds: string[];
  description: string | null;
  owner_id: string;
  owner_roles: string[];
  owner_institution_id: string;
  owner_manager_id: string | null;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  alert_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery claimed for an attempt, with where it goes. */
export interface ClaimedDelivery extends DeliveryRow {
  url: string;
  secret_enc: string;
  subscription_active: boolean;
}

export type NewSubscription = Pick<
  SubscriptionRow,
  | 'url'
  | 'secret_enc'
  | 'kinds'
  | 'description'
  | 'owner_id'
  | 'owner_roles'
  | 'owner_institution_id'
  | 'owner_manager_id'
>;

@Injectable()
export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get s(): string {
    return schemaOf(this.dataSource);
  }

  async insertSubscription(tx: EntityManager, s: NewSubscription): Promise<SubscriptionRow> {
    const [row]: SubscriptionRow[] = await tx.query(
      `INSERT INTO "${this.s}".webhook_subscription
         (url, secret_enc, kinds, description, owner_id, owner_roles, owner_institution_id, owner_manager_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        s.url,
        s.secret_enc,
        s.kinds,
        s.description,
        s.owner_id,
        s.owner_roles,
        s.owner_institution_id,
        s.owner_manager_id,
      ],
    );
    return row;
  }

  /** The owner's subscriptions (all of them for `owner` undefined), newest first. */
  async subscriptions(owner: string | undefined): Promise<SubscriptionRow[]> {
    return this.dataSource.query(
      `SELECT * FROM "${this.s}".webhook_subscription
        WHERE ($1::text IS NULL OR owner_id = $1) ORDER BY created_at DESC, id LIMIT 500`,
      [owner ?? null],
    );
  }

  async subscription(id: string, owner: string | undefined): Promise<SubscriptionRow | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT * FROM "${this.s}".webhook_subscription WHERE id = $1 AND ($2::text IS NULL OR owner_id = $2)`,
      [id, owner ?? null],
    );
    return rows[0] ?? null;
  }

  /** Deactivates it and cancels what it still had to deliver; false when it was inactive already. */
  async deactivate(tx: EntityManager, id: string): Promise<boolean> {
    const [rows]: [unknown[]] = await tx.query(
      `UPDATE "${this.s}".webhook_subscription SET active = false, deactivated_at = now()
        WHERE id = $1 AND active RETURNING id`,
      [id],
    );
    await tx.query(
      `UPDATE "${this.s}".webhook_delivery SET status = 'cancelled', lease_until = NULL
        WHERE subscription_id = $1 AND status = 'pending'`,
      [id],
    );
    return rows.length > 0;
  }

  /** Every active subscription. */
  async active(tx: EntityManager): Promise<SubscriptionRow[]> {
    return tx.query(`SELECT * FROM "${this.s}".webhook_subscription WHERE active`);
  }

  /** One delivery per (subscription, alert) pair, each at most once. */
  async addDeliveries(
    tx: EntityManager,
    deliveries: readonly { subscriptionId: string; alertId: string }[],
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await tx.query(
      `INSERT INTO "${this.s}".webhook_delivery (subscription_id, alert_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT (subscription_id, alert_id) DO NOTHING`,
      [deliveries.map((d) => d.subscriptionId), deliveries.map((d) => d.alertId)],
    );
  }

  /**
   * Leases up to `limit` deliveries due now for `leaseMs` and counts the attempt: any instance may run this,
   * each gets others' rows only once their lease has lapsed (the instance that held them died mid-attempt).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT id FROM "${this.s}".webhook_delivery
          WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "${this.s}".webhook_delivery d
            SET lease_until = now() + $2 * interval '1 millisecond', attempts = d.attempts + 1
           FROM due WHERE d.id = due.id
         RETURNING d.*
       )
       SELECT c.*, s.url, s.secret_enc, s.active AS subscription_active
         FROM claimed c JOIN "${this.s}".webhook_subscription s ON s.id = c.subscription_id`,
      [limit, leaseMs],
    );
  }

  /** The alerts as they are now, by id: what a delivery carries (its subscriber was found to see it). */
  async alerts(ids: string[]): Promise<Map<string, AlertRow>> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT *, amount::text AS amount FROM "${this.s}".alert WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  async delivered(id: string, httpStatus: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".webhook_delivery
          SET status = 'delivered', delivered_at = now(), lease_until = NULL, last_status = $2, last_error = NULL
        WHERE id = $1`,
      [id, httpStatus],
    );
  }

  /** A failed attempt: tried again at `retryAt`, or dead (null) when it was the last. */
  async failed(
    id: string,
    failure: { httpStatus: number | null; error: string },
    retryAt: Date | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".webhook_delivery
          SET status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
              next_attempt_at = COALESCE($4, next_attempt_at), lease_until = NULL, last_status = $2, last_error = $3
        WHERE id = $1`,
      [id, failure.httpStatus, failure.error.slice(0, 500), retryAt],
    );
  }

  async cancel(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".webhook_delivery SET status = 'cancelled', lease_until = NULL WHERE id = $1`,
      [id],
    );
  }

  /** A subscription's deliveries, newest first, optionally of one status. */
  async deliveries(
    subscriptionId: string,
    status: DeliveryStatus | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT id, subscription_id, alert_id, status, attempts, next_attempt_at, last_status, last_error,
              created_at, delivered_at
         FROM "${this.s}".webhook_delivery
        WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2)
        ORDER BY created_at DESC, id LIMIT $3`,
      [subscriptionId, status ?? null, limit],
    );
  }

  /** A dead (or cancelled) delivery of an active subscription goes out again, with a fresh count of attempts. */
  async redeliver(
    tx: EntityManager,
    subscriptionId: string,
    deliveryId: string,
  ): Promise<DeliveryRow | null> {
    const [rows]: [DeliveryRow[]] = await tx.query(
      `UPDATE "${this.s}".webhook_delivery
          SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL
        WHERE id = $1 AND subscription_id = $2 AND status IN ('dead', 'cancelled')
        RETURNING id, subscription_id, alert_id, status, attempts, next_attempt_at, last_status, last_error,
                  created_at, delivered_at`,
      [deliveryId, subscriptionId],
    );
    return rows[0] ?? null;
  }
}
