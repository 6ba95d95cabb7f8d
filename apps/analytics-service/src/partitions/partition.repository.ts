import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { MonthPartition, MonthlyTable, monthOfPartitionName } from './month-partition.rule';

/** Whether a month's partition is attached to its table, was detached (and kept as a table), or was never made. */
export type PartitionState = 'attached' | 'detached' | 'missing';

export interface StoredPartition {
  table: MonthlyTable;
  month: string;
  name: string;
  attached: boolean;
}

/**
 * The catalog side of month partitions. Partition names come from the month-partition rule (a table constant
 * and a validated month), so they are safe to quote into DDL.
 */
@Injectable()
export class PartitionRepository {
  /** Read from the catalog tables with the statement's snapshot, so a partition committed meanwhile is seen. */
  async state(tx: EntityManager, partition: MonthPartition): Promise<PartitionState> {
    const rows: { attached: boolean }[] = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS attached
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2`,
      [schemaOf(tx.connection), partition.name],
    );
    return rows.length === 0 ? 'missing' : rows[0].attached ? 'attached' : 'detached';
  }

  /** Until the transaction ends, no other one of this schema creates or detaches a partition of `table`. */
  async lockPartitioning(tx: EntityManager, table: MonthlyTable): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${schemaOf(tx.connection)}.${table}`]);
  }

  /**
   * Creates the month's table and attaches it. Not `CREATE TABLE … PARTITION OF`, which locks the parent
   * against every writer until the transaction ends: ATTACH takes a lock that inserts do not wait for.
   */
  async create(tx: EntityManager, partition: MonthPartition): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `CREATE TABLE "${s}"."${partition.name}" (LIKE "${s}"."${partition.table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    await tx.query(
      `ALTER TABLE "${s}"."${partition.table}" ATTACH PARTITION "${s}"."${partition.name}"
         FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`,
    );
  }

  /** The table stays in the schema, no longer read by the warehouse: to archive, move or drop. */
  async detach(tx: EntityManager, partition: MonthPartition): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(`ALTER TABLE "${s}"."${partition.table}" DETACH PARTITION "${s}"."${partition.name}"`);
  }

  /** Every month partition of `table` in the schema, attached or detached, oldest first. */
  async list(tx: EntityManager, table: MonthlyTable): Promise<StoredPartition[]> {
    const rows: { name: string; attached: boolean }[] = await tx.query(
      `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS attached
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' AND starts_with(c.relname, $2)`,
      [schemaOf(tx.connection), `${table}_`],
    );
    return rows
      .map((row) => ({ table, month: monthOfPartitionName(table, row.name), ...row }))
      .filter((p): p is StoredPartition => p.month !== undefined)
      .sort((a, b) => a.month.localeCompare(b.month));
  }
}
