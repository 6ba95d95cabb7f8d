import { migrate, revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { MonthlyTables, monthPartition } from '../partitions/month-partition.rule';
import { PartitionRepository } from '../partitions/partition.repository';
import { ANALYTICS_MIGRATIONS } from '../migrations';
import { CloseOfBusiness1796100000000 } from './1796100000000-close-of-business.migration';

const COB_TABLES = [
  'analytics_parameter',
  'card_stated_balance',
  'cob_run',
  'cob_run_shard',
  'customer_indicator',
  'customer_profile',
  'profile_publication',
  'value_tier_change',
];

describe('CloseOfBusiness migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    // Up to this migration, so that it is the last one to revert whatever came after it.
    const migrations = ANALYTICS_MIGRATIONS.slice(
      0,
      ANALYTICS_MIGRATIONS.indexOf(CloseOfBusiness1796100000000) + 1,
    );
    db = await createTestSchema('analytics_cob_migration', { migrations });
  });

  afterAll(() => db?.drop());

  const tables = async (): Promise<string[]> =>
    (
      await db.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
        db.schema,
      ])
    ).map((r: { table_name: string }) => r.table_name);

  it('keeps what cards already stated as their first history, and its down removes the snapshots with their months', async () => {
    const partitions = [MonthlyTables.CustomerIndicator, MonthlyTables.CustomerProfile].map((t) =>
      monthPartition(t, '2025-03'),
    );
    for (const partition of partitions)
      await db.dataSource.transaction((tx) => new PartitionRepository().create(tx, partition));
    expect(await tables()).toEqual(expect.arrayContaining([...COB_TABLES, ...partitions.map((p) => p.name)]));

    await revertLastMigration(db.dataSource);
    const after = await tables();
    for (const table of [...COB_TABLES, ...partitions.map((p) => p.name)]) expect(after).not.toContain(table);
    expect(after).toContain('card');

    await db.dataSource.query(
      `INSERT INTO "${db.schema}".card (card_id, customer_id, institution_id, stated_balance, stated_as_of)
       VALUES ('K1', 'C1', 'OUT1', '1500.50', '2025-03-05T23:00:00+08:00'), ('K2', 'C2', 'OUT1', NULL, NULL)`,
    );
    await migrate(db.dataSource);
    expect(
      await db.dataSource.query(
        `SELECT card_id, customer_id, balance::text, as_of FROM "${db.schema}".card_stated_balance`,
      ),
    ).toEqual([
      { card_id: 'K1', customer_id: 'C1', balance: '1500.50', as_of: new Date('2025-03-05T15:00:00.000Z') },
    ]);
  });
});
