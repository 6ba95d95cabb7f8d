import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConsentChannel, ConsentSource, ConsentStatus } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

export interface ConsentRow {
  channel: ConsentChannel;
  status: ConsentStatus;
  changed_at: Date;
  changed_by: string;
  source: ConsentSource;
}

export interface ConsentHistoryRow extends ConsentRow {
  note: string | null;
}

/** Current consent per channel plus its append-only history (who, when, where from). */
@Injectable()
export class ConsentRepository {
  async history(manager: EntityManager, customerId: string): Promise<ConsentHistoryRow[]> {
    return manager.query(
      `SELECT channel, status, changed_at, changed_by, source, note FROM "${schemaOf(manager.connection)}".consent_history
       WHERE customer_id = $1 ORDER BY id`,
      [customerId],
    );
  }

  /**
   * Records a change and returns when it took effect. The current state keeps the latest `changed_at`,
   * the rule consumers of the consent event follow too, so two concurrent changes end alike in both.
   */
  async set(
    manager: EntityManager,
    change: {
      customerId: string;
      channel: ConsentChannel;
      status: ConsentStatus;
      source: ConsentSource;
      userId: string;
      note?: string;
    },
  ): Promise<Date> {
    const s = schemaOf(manager.connection);
    const values = [change.customerId, change.channel, change.status, change.userId, change.source];
    await manager.query(
      `INSERT INTO "${s}".consent (customer_id, channel, status, changed_at, changed_by, source)
       VALUES ($1, $2, $3, now(), $4, $5)
       ON CONFLICT (customer_id, channel) DO UPDATE SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at,
         changed_by = EXCLUDED.changed_by, source = EXCLUDED.source
       WHERE consent.changed_at <= EXCLUDED.changed_at`,
      values,
    );
    const [{ changed_at }] = await manager.query<{ changed_at: Date }[]>(
      `INSERT INTO "${s}".consent_history (customer_id, channel, status, changed_at, changed_by, source, note)
       VALUES ($1, $2, $3, now(), $4, $5, $6) RETURNING changed_at`,
      [...values, change.note ?? null],
    );
    return changed_at;
  }
}
