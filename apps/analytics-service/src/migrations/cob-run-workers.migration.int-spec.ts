import { revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { ANALYTICS_MIGRATIONS } from '../migrations';
import { CobRunWorkers1796400000000 } from './1796400000000-cob-run-workers.migration';

describe('CobRunWorkers migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    const migrations = ANALYTICS_MIGRATIONS.slice(
      0,
      ANALYTICS_MIGRATIONS.indexOf(CobRunWorkers1796400000000) + 1,
    );
    db = await createTestSchema('analytics_cob_workers_migration', { migrations });
  });

  afterAll(() => db?.drop());

  const columns = async (table: string): Promise<string[]> =>
    (
      await db.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [db.schema, table],
      )
    ).map((r: { column_name: string }) => r.column_name);

  it('adds who wrote each shard and when each phase began, and its down removes them', async () => {
    expect(await columns('cob_run')).toEqual(
      expect.arrayContaining(['profiles_started_at', 'publishing_started_at']),
    );
    expect(await columns('cob_run_shard')).toEqual(expect.arrayContaining(['indicated_by', 'profiled_by']));

    await revertLastMigration(db.dataSource);
    expect(await columns('cob_run')).not.toContain('profiles_started_at');
    expect(await columns('cob_run')).not.toContain('publishing_started_at');
    expect(await columns('cob_run_shard')).not.toContain('indicated_by');
    expect(await columns('cob_run_shard')).not.toContain('profiled_by');
    expect(await columns('cob_run_shard')).toContain('stage');
  });
});
