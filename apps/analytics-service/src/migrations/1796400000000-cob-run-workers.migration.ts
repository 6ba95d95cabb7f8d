import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The close of business shared by instances: which worker wrote each shard's indicators and profiles (for
 * operators, and to see the shards spread), and when the run entered its profile and publication phases
 * (timings per phase).
 */
export class CobRunWorkers1796400000000 implements MigrationInterface {
  name = 'CobRunWorkers1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run ADD COLUMN profiles_started_at timestamptz,
         ADD COLUMN publishing_started_at timestamptz`,
    );
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run_shard ADD COLUMN indicated_by text, ADD COLUMN profiled_by text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run_shard DROP COLUMN indicated_by, DROP COLUMN profiled_by`,
    );
    await queryRunner.query(
      `ALTER TABLE "${s}".cob_run DROP COLUMN profiles_started_at, DROP COLUMN publishing_started_at`,
    );
  }
}
