import { DataSource } from 'typeorm';
import { ServiceStorageOptions, createServiceDataSource, migrate } from '@crm/persistence';
import { testStack, uniqueSuffix } from './test-stack';

export interface TestSchema {
  schema: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A throw-away schema with the platform tables and the given migrations applied, dropped after the test file. */
export async function createTestSchema(
  prefix: string,
  options: Omit<ServiceStorageOptions, 'url' | 'schema'> = {},
): Promise<TestSchema> {
  const schema = `t_${prefix.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`;
  const dataSource = createServiceDataSource({ ...options, schema, url: testStack.databaseUrl, poolSize: 5 });
  await dataSource.initialize();
  await migrate(dataSource);
  return {
    schema,
    dataSource,
    async drop() {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
