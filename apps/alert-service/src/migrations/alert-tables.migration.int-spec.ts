import { revertLastMigration } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { ALERT_MIGRATIONS } from '../migrations';

describe('AlertTables migration', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('alert_migration', { migrations: ALERT_MIGRATIONS });
  });

  afterAll(() => db?.drop());

  const tables = async () =>
    (
      await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [db.schema],
      )
    ).map((r: { table_name: string }) => r.table_name);

  it('creates the alert tables and the service’s downs remove exactly them', async () => {
    const up = [
      'alert',
      'alert_parameters',
      'coverage',
      'flow_entry',
      'institution',
      'manager',
      'reminder',
      'webhook_delivery',
      'webhook_subscription',
    ];
    expect(await tables()).toEqual(expect.arrayContaining(up));
    for (const _migration of ALERT_MIGRATIONS) await revertLastMigration(db.dataSource);
    const after = await tables();
    for (const table of up) expect(after).not.toContain(table);
    expect(after).toContain('outbox');
  });
});
