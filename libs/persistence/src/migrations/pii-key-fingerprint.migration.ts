import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema.util';

/**
 * What identifies the PII keys a schema's data is written under (never the keys): one row, written
 * on the first start, so a process holding other keys refuses to start instead of writing rows
 * nobody can read next to rows it cannot read. Dated just after the platform tables: in a new schema
 * it runs before every service's own migrations, so a service's newest migration stays its last.
 */
export class PiiKeyFingerprint1763856100000 implements MigrationInterface {
  name = 'PiiKeyFingerprint1763856100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".pii_key_fingerprint (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        hash_key_mac text NOT NULL,
        encryption_check text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".pii_key_fingerprint`);
  }
}
