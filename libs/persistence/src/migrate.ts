import { DataSource } from 'typeorm';
import { schemaOf } from './schema.util';

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/** Creates the service schema if needed and applies pending migrations, each in its own transaction. */
export async function migrate(dataSource: DataSource): Promise<MigrationReport> {
  const schema = schemaOf(dataSource);
  const owned = !dataSource.isInitialized;
  if (owned) await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { schema, applied: applied.map((m) => m.name) };
  } finally {
    if (owned) await dataSource.destroy();
  }
}

export async function revertLastMigration(dataSource: DataSource): Promise<void> {
  const owned = !dataSource.isInitialized;
  if (owned) await dataSource.initialize();
  try {
    await dataSource.undoLastMigration({ transaction: 'each' });
  } finally {
    if (owned) await dataSource.destroy();
  }
}
