import { createServiceDataSource, migrate } from '@crm/persistence';
import { createTestSchema } from './test-schema';
import { testStack, uniqueSuffix } from './test-stack';

const jitOf = async (query: (sql: string) => Promise<{ setting: string; source: string }[]>) =>
  (await query(`SELECT setting, source FROM pg_settings WHERE name = 'jit'`))[0];

describe('service data source', () => {
  it("turns Postgres's JIT off on every pooled connection unless the service asks for it", async () => {
    const oltp = await createTestSchema('jit_off');
    const analytical = await createTestSchema('jit_on', { jit: true });
    try {
      // Several at once: every connection of the pool, not only the first, starts with it off.
      const sessions = await Promise.all(
        Array.from({ length: 3 }, () => oltp.dataSource.transaction((tx) => jitOf((sql) => tx.query(sql)))),
      );
      expect(sessions).toEqual(Array(3).fill({ setting: 'off', source: 'client' }));
      expect((await jitOf((sql) => analytical.dataSource.query(sql))).source).not.toBe('client');
    } finally {
      await oltp.drop();
      await analytical.drop();
    }
  });
});

describe('migrate', () => {
  it('lets instances started together on a new schema migrate it once, the others waiting', async () => {
    const schema = `t_migrate_race_${uniqueSuffix()}`;
    const instances = Array.from({ length: 3 }, () =>
      createServiceDataSource({ schema, url: testStack.databaseUrl, poolSize: 1 }),
    );
    try {
      const reports = await Promise.all(instances.map((dataSource) => migrate(dataSource)));
      // One applied every platform migration; the others found nothing left to do.
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, 2]);
    } finally {
      const admin = await createServiceDataSource({ schema, url: testStack.databaseUrl }).initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
    }
  });
});
