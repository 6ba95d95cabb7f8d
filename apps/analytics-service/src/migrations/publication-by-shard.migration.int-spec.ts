import { migrate, revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { ANALYTICS_MIGRATIONS } from '../migrations';
import { PublicationByShard1796700000000 } from './1796700000000-publication-by-shard.migration';

describe('PublicationByShard migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    const migrations = ANALYTICS_MIGRATIONS.slice(
      0,
      ANALYTICS_MIGRATIONS.indexOf(PublicationByShard1796700000000) + 1,
    );
    db = await createTestSchema('analytics_publication_by_shard_migration', { migrations });
  });

  afterAll(() => db?.drop());

  const tables = async (): Promise<string[]> =>
    (
      await db.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
        db.schema,
      ])
    ).map((r: { table_name: string }) => r.table_name);
  const columns = async (table: string): Promise<string[]> =>
    (
      await db.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [db.schema, table],
      )
    ).map((r: { column_name: string }) => r.column_name);
  const runWithShard = async (stage: string) => {
    const runId = '00000000-0000-4000-8000-000000000001';
    await db.dataSource.query(`DELETE FROM "${db.schema}".cob_run`);
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".cob_run (run_id, business_date, shards, status, phase, requested_by, parameters)
       VALUES ($1, '2026-10-31', 1, 'running', 'publishing', 'test', '{}')`,
      [runId],
    );
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".cob_run_shard (run_id, shard, stage) VALUES ($1, 0, $2)`,
      [runId, stage],
    );
  };

  it('drops the queue for a cursor per shard and a published stage; its down brings the queue back', async () => {
    expect(await tables()).not.toContain('profile_publication');
    expect(await columns('cob_run')).toContain('publish_from');
    expect(await columns('cob_run_shard')).toEqual(
      expect.arrayContaining(['published', 'published_through', 'publishing_ms', 'published_by']),
    );
    await runWithShard('published');

    await revertLastMigration(db.dataSource);
    expect(await tables()).toContain('profile_publication');
    expect(await columns('cob_run')).not.toContain('publish_from');
    expect(await columns('cob_run_shard')).not.toContain('published_through');
    const [shard] = await db.dataSource.query(`SELECT stage FROM "${db.schema}".cob_run_shard`);
    expect(shard.stage).toBe('profiled');
    await expect(runWithShard('published')).rejects.toThrow(/cob_run_shard_stage_check/);
  });

  it('has a run the upgrade catches publishing through the old queue publish again all it changed', async () => {
    await db.dataSource.query(
      `UPDATE "${db.schema}".cob_run SET profiles_started_at = '2026-10-31T15:40:00Z', phase = 'publishing'`,
    );
    await migrate(db.dataSource);
    const [caught] = await db.dataSource.query(
      `SELECT publish_from = profiles_started_at AS republishes FROM "${db.schema}".cob_run`,
    );
    expect(caught.republishes).toBe(true);
  });
});
