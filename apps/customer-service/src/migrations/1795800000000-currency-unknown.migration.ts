import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

const TABLES = ['account', 'loan', 'card'];

/**
 * A holding's currency is what core banking said, never assumed: a row first learned from a
 * transaction, a status change or a closure has no currency (NULL) until its opening arrives.
 * Rows written before this migration keep the 'CNY' the old default gave them.
 */
export class CurrencyUnknown1795800000000 implements MigrationInterface {
  name = 'CurrencyUnknown1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE "${s}".${table} ALTER COLUMN currency DROP DEFAULT`);
      await queryRunner.query(`ALTER TABLE "${s}".${table} ALTER COLUMN currency DROP NOT NULL`);
    }
  }

  /** Back to the old schema: unknown currencies become the old default again. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of TABLES) {
      await queryRunner.query(`UPDATE "${s}".${table} SET currency = 'CNY' WHERE currency IS NULL`);
      await queryRunner.query(`ALTER TABLE "${s}".${table} ALTER COLUMN currency SET NOT NULL`);
      await queryRunner.query(`ALTER TABLE "${s}".${table} ALTER COLUMN currency SET DEFAULT 'CNY'`);
    }
  }
}
