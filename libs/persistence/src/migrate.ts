import { DataSource, MigrationExecutor } from 'typeorm';
import { schemaOf } from './schema.util';

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/**
 * Creates the service schema if needed and applies pending migrations, each in its own transaction. Instances
 * started together (a deployment's replicas) take turns under a lock on the schema's name: the first applies
 * them, the others then find none pending, where they would have raced to create the same tables.
 */
export async function migrate(dataSource: DataSource): Promise<MigrationReport> {
  const schema = schemaOf(dataSource);
  const owned = !dataSource.isInitialized;
  if (owned) await dataSource.initialize();
  // One session for the lock and the migrations: a pool of one connection would otherwise wait on itself.
  const session = dataSource.createQueryRunner();
  try {
    await session.query(`SELECT pg_advisory_lock(hashtext($1))`, [`migrate:${schema}`]);
    await session.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const executor = new MigrationExecutor(dataSource, session);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return { schema, applied: applied.map((m) => m.name) };
  } finally {
    // An unlock fails only on a broken connection, and the lock ends with it.
    await session
      .query(`SELECT pg_advisory_unlock(hashtext($1))`, [`migrate:${schema}`])
      .catch(() => undefined);
    await session.release();
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
