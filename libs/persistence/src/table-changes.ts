import { createHash } from 'node:crypto';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ChannelListener } from './channel-listener';
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

/**
 * Calls `changed` whenever `table` of the data source's schema changes (see changeTriggerSql), and
 * after every reconnection, since changes made while the listener was away were not heard: what a
 * cache of the table needs. `start()` the listener; `close()` releases its connection.
 */
export function tableChangeListener(
  dataSource: DataSource,
  table: string,
  changed: () => void,
  lost?: (error: Error) => void,
): ChannelListener {
  return new ChannelListener(dataSource, tableChangeChannel(schemaOf(dataSource), table), {
    notified: changed,
    resumed: changed,
    lost,
  });
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
