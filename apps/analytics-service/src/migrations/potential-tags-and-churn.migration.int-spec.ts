import { migrate, revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { MonthlyTables, monthPartition } from '../partitions/month-partition.rule';
import { PartitionRepository } from '../partitions/partition.repository';
import { ANALYTICS_MIGRATIONS } from '../migrations';
import { PotentialTagsAndChurn1796500000000 } from './1796500000000-potential-tags-and-churn.migration';

describe('PotentialTagsAndChurn migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    // Up to this migration, so that it is the last one to revert whatever came after it.
    const migrations = ANALYTICS_MIGRATIONS.slice(
      0,
      ANALYTICS_MIGRATIONS.indexOf(PotentialTagsAndChurn1796500000000) + 1,
    );
    db = await createTestSchema('analytics_churn_migration', { migrations });
  });

  afterAll(() => db?.drop());

  const columns = async (table: string): Promise<string[]> =>
    (
      await db.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [db.schema, table],
      )
    ).map((r: { column_name: string }) => r.column_name);
  const setParameter = (name: string) =>
    db.dataSource.query(
      `INSERT INTO "${db.schema}".analytics_parameter (name, value, changed_by) VALUES ($1, '{}', 'test')`,
      [name],
    );

  it('adds the signals to every month’s indicators and the tags and churn to profiles; its down removes them', async () => {
    const month = monthPartition(MonthlyTables.CustomerIndicator, '2025-06');
    await db.dataSource.transaction((tx) => new PartitionRepository().create(tx, month));
    expect(await columns(month.name)).toEqual(
      expect.arrayContaining(['aum_30d_before', 'matured_not_renewed_30d']),
    );
    expect(await columns('customer_profile')).toEqual(
      expect.arrayContaining(['tags', 'churn_score', 'churn_reasons', 'churn_warned']),
    );
    await setParameter('churn-warning');
    await setParameter('value-tiers');

    await revertLastMigration(db.dataSource);
    expect(await columns(month.name)).not.toContain('aum_30d_before');
    expect(await columns('customer_profile')).not.toContain('churn_score');
    await expect(setParameter('potential-tags')).rejects.toThrow(/analytics_parameter_name_check/);
    const kept = await db.dataSource.query(`SELECT name FROM "${db.schema}".analytics_parameter`);
    expect(kept).toEqual([{ name: 'value-tiers' }]);

    await migrate(db.dataSource);
    expect(await columns(month.name)).toContain('aum_30d_before');
    await setParameter('potential-tags');
  });
});
