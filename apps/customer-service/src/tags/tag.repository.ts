import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';

export interface TagRow {
  tag: string;
  kind: 'manual' | 'analytic';
  source: string;
  score: string | null;
  valid_until: Date | null;
  created_at: Date;
}

/**
 * Manual tags (a manager's, source = the manager's user id) and analytic tags (source = the model,
 * with a score and a validity end), one table so search treats them alike.
 */
@Injectable()
export class TagRepository {
  async addManual(manager: EntityManager, customerId: string, tag: string, userId: string): Promise<void> {
    await manager.query(
      `INSERT INTO "${schemaOf(manager.connection)}".customer_tag (customer_id, tag, kind, source, created_by, created_at)
       VALUES ($1, $2, 'manual', 'manager', $3, now()) ON CONFLICT (customer_id, kind, source, tag) DO NOTHING`,
      [customerId, tag, userId],
    );
  }

  /** Returns false when the customer had no such manual tag. */
  async removeManual(manager: EntityManager, customerId: string, tag: string): Promise<boolean> {
    const [, affected] = (await manager.query(
      `DELETE FROM "${schemaOf(manager.connection)}".customer_tag WHERE customer_id = $1 AND tag = $2 AND kind = 'manual'`,
      [customerId, tag],
    )) as [unknown, number];
    return affected > 0;
  }
}
