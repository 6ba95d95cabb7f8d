import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { assertSchemaName, schemaOf } from './schema.util';

/**
 * The notification channel on which a table of a schema announces that it changed. Hashed, because a
 * channel is an identifier of at most 63 bytes and schema names may be long; `changeTriggerSql`
 * computes the same name in SQL.
 */
export function tableChangeChannel(schema: string, table: string): string {
  return `changed_${createHash('md5').update(`${schema}.${table}`).digest('hex').slice(0, 24)}`;
}

/**
 * DDL for a migration: after every statement that changes `table`, notify its channel. The
 * notification is delivered when the transaction commits, to every instance listening, so caches of
 * the table are dropped exactly when the change becomes visible, whichever instance made it.
 */
export function changeTriggerSql(schema: string, table: string): string[] {
  const s = assertSchemaName(schema);
  const fn = `"${s}".notify_${table}_changed`;
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('changed_' || left(md5(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME), 24), '');
         RETURN NULL;
       END $$`,
    `CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${s}".${table}
       FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

export function dropChangeTriggerSql(schema: string, table: string): string[] {
  const s = assertSchemaName(schema);
  return [
    `DROP TRIGGER IF EXISTS ${table}_changed ON "${s}".${table}`,
    `DROP FUNCTION IF EXISTS "${s}".notify_${table}_changed()`,
  ];
}

const RECONNECT_DELAY_MS = { first: 100, max: 5_000 };

/**
 * Calls `onChange` whenever `table` of the data source's schema changes (see changeTriggerSql), and
 * also after every (re)connection, since changes made while the listener was away were not heard.
 * Holds one dedicated connection; `close()` releases it.
 */
export class TableChangeListener {
  private client: Client | null = null;
  private closed = false;
  private delay = RECONNECT_DELAY_MS.first;
  private retry: NodeJS.Timeout | null = null;
  private readonly channel: string;

  constructor(
    private readonly dataSource: DataSource,
    table: string,
    private readonly onChange: () => void,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.channel = tableChangeChannel(schemaOf(dataSource), table);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const options = this.dataSource.options as { url?: string; applicationName?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'crm'}:listen`,
    });
    client.on('notification', () => this.onChange());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('listener connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delay = RECONNECT_DELAY_MS.first;
    this.onChange();
  }

  private lost(client: Client, error: Error): void {
    if (this.closed || (this.client !== null && this.client !== client) || this.retry) return;
    this.client = null;
    this.onError(error);
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.delay);
    this.retry.unref();
    this.delay = Math.min(this.delay * 2, RECONNECT_DELAY_MS.max);
  }
}

/**
 * A migration that adds the change trigger to one table of the service's schema, for services that
 * keep an in-memory copy of it (e.g. the institution tree of data scope).
 */
export function changeTriggerMigration(table: string, timestamp: number): new () => MigrationInterface {
  const name = `${table.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}ChangeTrigger${timestamp}`;
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const sql of changeTriggerSql(schemaOf(queryRunner), table)) await queryRunner.query(sql);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const sql of dropChangeTriggerSql(schemaOf(queryRunner), table)) await queryRunner.query(sql);
    }
  };
}
