import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema.util';

/**
 * Tables every service schema has: event de-duplication, the transactional outbox and the
 * append-only audit log. Each service lists this migration first among its own.
 */
export class PlatformTables1763856000000 implements MigrationInterface {
  name = 'PlatformTables1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".processed_event (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX processed_event_processed_at_idx ON "${s}".processed_event (processed_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        headers jsonb NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_pending_idx ON "${s}".outbox (id) WHERE published_at IS NULL`,
    );
    // Wakes the relay at commit, so publication does not wait for the next poll.
    await queryRunner.query(`
      CREATE FUNCTION "${s}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('outbox_${s}', ''); RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON "${s}".outbox
      FOR EACH STATEMENT EXECUTE FUNCTION "${s}".outbox_notify()`);

    await queryRunner.query(`
      CREATE TABLE "${s}".audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        actor_roles text[] NOT NULL,
        actor_institution_id text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        customer_id text,
        outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
        correlation_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_log_customer_idx ON "${s}".audit_log (customer_id, occurred_at)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION "${s}".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "${s}".audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION "${s}".audit_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".audit_log`);
    await queryRunner.query(`DROP FUNCTION "${s}".audit_log_append_only()`);
    await queryRunner.query(`DROP TABLE "${s}".outbox`);
    await queryRunner.query(`DROP FUNCTION "${s}".outbox_notify()`);
    await queryRunner.query(`DROP TABLE "${s}".processed_event`);
  }
}
