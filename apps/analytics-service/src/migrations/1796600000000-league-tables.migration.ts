import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * League tables: each customer's exact sum of end-of-day AUM over the year to date (a period's daily average is
 * the difference of two dates' sums), and the contacts campaign-service asked for (crm.campaign.contact),
 * which league tables count and attribute conversions to. Rows of dates run before this read a zero sum
 * until their date is run again.
 */
export class LeagueTables1796600000000 implements MigrationInterface {
  name = 'LeagueTables1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}".customer_indicator ADD COLUMN aum_days_ytd numeric(28,2) NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".campaign_contact (
        contact_id text PRIMARY KEY,
        campaign_id text NOT NULL,
        customer_id text NOT NULL,
        channel text NOT NULL,
        product_codes text[] NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        due_at timestamptz NOT NULL,
        business_date date NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX campaign_contact_date_idx ON "${s}".campaign_contact (business_date, customer_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".campaign_contact`);
    await queryRunner.query(`ALTER TABLE "${s}".customer_indicator DROP COLUMN aum_days_ytd`);
  }
}
