import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContactRequestedPayload } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, ownerScopeColumns, scopePredicate } from '@crm/security';

export interface TaskRow {
  task_id: string;
  campaign_id: string;
  customer_id: string;
  manager_id: string;
  institution_id: string;
  channel: string;
  product_codes: string[];
  message: string;
  due_at: Date;
  status: 'open' | 'done';
  outcome: string | null;
  note: string | null;
  done_by: string | null;
  done_at: Date | null;
}

/** A task is its manager's, and seen by the heads above the institution of the customer it is about. */
const TASK_SCOPE = ownerScopeColumns('t');

/** Calls and visits campaigns ask of managers: one task per such contact, with its outcome. */
@Injectable()
export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One task per contact (its id is the contact's): a contact recorded twice makes one task. */
  async createFor(
    tx: EntityManager,
    contacts: readonly { contact: ContactRequestedPayload; institutionId: string | null }[],
  ): Promise<void> {
    if (contacts.length === 0) return;
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".task (task_id, campaign_id, customer_id, manager_id, institution_id, channel,
         product_codes, message, due_at)
       SELECT t.task_id, t.campaign_id, t.customer_id, t.manager_id, t.institution_id, t.channel,
              ARRAY(SELECT jsonb_array_elements_text(t.products)), t.message, t.due_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[],
                     $9::timestamptz[]) AS t(task_id, campaign_id, customer_id, manager_id, institution_id, channel,
                     products, message, due_at)
       ON CONFLICT (task_id) DO NOTHING`,
      [
        contacts.map(({ contact }) => contact.contactId),
        contacts.map(({ contact }) => contact.campaignId),
        contacts.map(({ contact }) => contact.customerId),
        contacts.map(({ contact }) => contact.managerId),
        contacts.map(({ contact, institutionId }) => institutionId ?? contact.institutionId),
        contacts.map(({ contact }) => contact.channel),
        contacts.map(({ contact }) => JSON.stringify(contact.productCodes)),
        contacts.map(({ contact }) => contact.message),
        contacts.map(({ contact }) => contact.dueAt),
      ],
    );
  }

  async list(
    scope: DataScope,
    filter: { status?: 'open' | 'done'; after?: [string, string]; limit: number },
  ): Promise<TaskRow[]> {
    const params = new SqlParams();
    const where = [scopePredicate(scope, TASK_SCOPE, params)];
    if (filter.status) where.push(`t.status = ${params.add(filter.status)}`);
    if (filter.after)
      where.push(
        `(t.due_at, t.task_id) > (${params.add(filter.after[0])}::timestamptz, ${params.add(filter.after[1])}::uuid)`,
      );
    return this.dataSource.query(
      `SELECT t.* FROM "${schemaOf(this.dataSource)}".task t WHERE ${where.join(' AND ')}
        ORDER BY t.due_at, t.task_id LIMIT ${params.add(filter.limit + 1)}`,
      params.values,
    );
  }

  async findOne(tx: EntityManager, scope: DataScope, taskId: string): Promise<TaskRow | undefined> {
    const params = new SqlParams();
    const rows: TaskRow[] = await tx.query(
      `SELECT t.* FROM "${schemaOf(tx.connection)}".task t
        WHERE t.task_id = ${params.add(taskId)} AND ${scopePredicate(scope, TASK_SCOPE, params)} FOR UPDATE`,
      params.values,
    );
    return rows[0];
  }

  async complete(
    tx: EntityManager,
    taskId: string,
    done: { outcome: string; note: string | null; by: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE "${schemaOf(tx.connection)}".task SET status = 'done', outcome = $2, note = $3, done_by = $4,
              done_at = clock_timestamp() WHERE task_id = $1`,
      [taskId, done.outcome, done.note, done.by],
    );
  }
}
