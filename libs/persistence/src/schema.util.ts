import { DataSource, QueryRunner } from 'typeorm';

const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Schema names go into DDL unquoted-safe only after this check. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`invalid schema name "${schema}": use lower-case letters, digits and _`);
  return schema;
}

export function schemaOf(source: QueryRunner | DataSource): string {
  const connection = 'connection' in source ? source.connection : source;
  const schema = (connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('the data source has no schema: every service owns one');
  return assertSchemaName(schema);
}
