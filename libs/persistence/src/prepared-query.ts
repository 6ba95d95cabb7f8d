import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs `text` as a named prepared statement straight on the data source's pg pool: Postgres parses
 * and plans it once per connection instead of on every call, and TypeORM's query runner (a runner
 * per call) is skipped. The name follows from the text, and every connection keeps each statement it
 * prepared: only for a hot path with a handful of distinct texts, never for statements built from
 * free combinations of filters.
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query({ name: statementName(text), text, values });
  return result.rows as T[];
}

const statementName = (text: string): string =>
  `p_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
