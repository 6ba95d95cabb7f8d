import { revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { MonthlyTables, monthPartition } from '../partitions/month-partition.rule';
import { PartitionRepository } from '../partitions/partition.repository';
import { ANALYTICS_MIGRATIONS } from '../migrations';

describe('WarehouseTables migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('analytics_migration', { migrations: ANALYTICS_MIGRATIONS });
  });

  afterAll(() => db?.drop());

  const tables = async () =>
    (
      await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [db.schema],
      )
    ).map((r: { table_name: string }) => r.table_name);

  it('creates the warehouse, and the downs remove it with the partitions attached at run time', async () => {
    const warehouse = [
      'account',
      'card',
      'coverage',
      'coverage_history',
      'customer',
      'daily_balance',
      'institution',
      'loan',
      'manager',
      'transaction_fact',
    ];
    const partition = monthPartition(MonthlyTables.TransactionFact, '2025-03');
    await db.dataSource.transaction((tx) => new PartitionRepository().create(tx, partition));
    expect(await tables()).toEqual(expect.arrayContaining([...warehouse, partition.name]));

    for (const _migration of ANALYTICS_MIGRATIONS) await revertLastMigration(db.dataSource);
    const after = await tables();
    for (const table of [...warehouse, partition.name]) expect(after).not.toContain(table);
    expect(after).toContain('outbox');
  });
});
