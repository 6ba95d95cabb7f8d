import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { BalanceObservation } from './daily-balance.rule';

@Injectable()
export class DailyBalanceRepository {
  /**
   * The day's row takes the observation when it is the day's latest fact (`supersedes` in the rule, here in
   * SQL): whatever order facts arrive in, the row ends with the same one.
   */
  async record(tx: EntityManager, o: BalanceObservation): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".daily_balance AS d
         (holding_type, holding_id, business_date, customer_id, balance, currency, as_of, fact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (holding_type, holding_id, business_date) DO UPDATE SET customer_id = EXCLUDED.customer_id,
         balance = EXCLUDED.balance, currency = EXCLUDED.currency, as_of = EXCLUDED.as_of, fact_id = EXCLUDED.fact_id
       WHERE (d.as_of, d.fact_id) < (EXCLUDED.as_of, EXCLUDED.fact_id)`,
      [o.holdingType, o.holdingId, o.businessDate, o.customerId, o.balance, o.currency, o.asOf, o.factId],
    );
  }
}
