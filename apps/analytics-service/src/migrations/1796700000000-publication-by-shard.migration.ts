import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The close of business publishes each shard's changed profiles straight from `customer_profile`, a cursor per
 * shard recording how far Kafka has acknowledged them, instead of moving every profile through a queue table
 * and the outbox (a million rows written and deleted twice). A run records from which profiles it publishes
 * (`publish_from`: its own, and those of an earlier run of the date that did not finish publishing).
 */
export class PublicationByShard1796700000000 implements MigrationInterface {
  name = 'PublicationByShard1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".profile_publication`);
    await queryRunner.query(`ALTER TABLE "${s}".cob_run ADD COLUMN publish_from timestamptz`);
    // A run caught publishing by the upgrade publishes again all it changed: its queue is gone, and what it had
    // already sent is applied again as the same profile version (consumers keep the latest date and instant).
    await queryRunner.query(
      `UPDATE "${s}".cob_run SET publish_from = profiles_started_at WHERE status = 'running' AND phase = 'publishing'`,
    );
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run_shard DROP CONSTRAINT cob_run_shard_stage_check,
         ADD CONSTRAINT cob_run_shard_stage_check CHECK (stage IN ('pending', 'indicated', 'profiled', 'published')),
         ADD COLUMN published int NOT NULL DEFAULT 0, ADD COLUMN published_through text,
         ADD COLUMN publishing_ms int, ADD COLUMN published_by text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`UPDATE "${s}".cob_run_shard SET stage = 'profiled' WHERE stage = 'published'`);
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run_shard DROP COLUMN published, DROP COLUMN published_through,
         DROP COLUMN publishing_ms, DROP COLUMN published_by, DROP CONSTRAINT cob_run_shard_stage_check,
         ADD CONSTRAINT cob_run_shard_stage_check CHECK (stage IN ('pending', 'indicated', 'profiled'))`,
    );
    await queryRunner.query(`ALTER TABLE "${s}".cob_run DROP COLUMN publish_from`);
    await queryRunner.query(`
      CREATE TABLE "${s}".profile_publication (
        business_date date NOT NULL,
        customer_id text NOT NULL,
        PRIMARY KEY (business_date, customer_id)
      )`);
  }
}
