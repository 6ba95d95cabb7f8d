import { Client, type ClientConfig } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AuditLogEntry } from './entities/audit-log-entry.entity';
import { OutboxMessage } from './entities/outbox-message.entity';
import { ProcessedEvent } from './entities/processed-event.entity';
import { PiiKeyFingerprint1763856100000 } from './migrations/pii-key-fingerprint.migration';
import { PlatformTables1763856000000 } from './migrations/platform-tables.migration';
import { assertSchemaName } from './schema.util';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassList = Function[];

export interface ServiceStorageOptions {
  /** The service's own schema: no other service reads it. */
  schema: string;
  url: string;
  entities?: ClassList;
  /** The service's migrations, in order; the platform migrations are prepended. */
  migrations?: ClassList;
  applicationName?: string;
  poolSize?: number;
  /**
   * Postgres's JIT compiler for this service's statements; off unless asked for. A batch statement over a
   * few thousand rows is estimated above jit_above_cost and compiled again at every execution: for the
   * campaign dispatcher's customer facts that was 32 of 75 ms. Worth it only for long analytical queries.
   */
  jit?: boolean;
}

/**
 * A pooled connection that always has a listener for its 'error' event. pg emits it when the server ends a
 * session no query is waiting on (a Postgres restart, pg_terminate_backend); TypeORM listens while it holds
 * the connection and the pool while it is idle, so an error in between would be unhandled and end the
 * process (seen once in ten Postgres-cut drills of campaign-service). Both still see the connection broken
 * and replace it; this listener only keeps the process alive.
 */
class PooledClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

export const PLATFORM_ENTITIES = [ProcessedEvent, OutboxMessage, AuditLogEntry];

export function serviceDataSourceOptions(options: ServiceStorageOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: assertSchemaName(options.schema),
    entities: [...PLATFORM_ENTITIES, ...(options.entities ?? [])],
    migrations: [PlatformTables1763856000000, PiiKeyFingerprint1763856100000, ...(options.migrations ?? [])],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // Schemas change through migrations only.
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName ?? options.schema,
    poolSize: options.poolSize ?? 10,
    // Connection options of every pooled session (pg's `options` startup parameter).
    extra: { Client: PooledClient, ...(options.jit ? {} : { options: '-c jit=off' }) },
    // Not 'error': TypeORM would print a failed query with its parameters (names, ID numbers, visit notes)
    // to stdout. The error reaches the caller, and the HTTP filter logs its class and correlation id.
    logging: ['migration'],
  };
}

export function createServiceDataSource(options: ServiceStorageOptions): DataSource {
  return new DataSource(serviceDataSourceOptions(options));
}
