import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * What campaigns need of analytics-service's customer profiles (crm.analytics.profile), the latest
 * business date per customer: tier, lifecycle stage, potential-tag scores, churn score. And the kind of
 * each product core banking has reported an opening of, which the propensity rule maps to a tag; filled
 * from the holdings already known.
 */
export class AnalyticProfiles1796000100000 implements MigrationInterface {
  name = 'AnalyticProfiles1796000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".analytic_profile (
        customer_id text PRIMARY KEY,
        business_date date NOT NULL,
        computed_at timestamptz NOT NULL,
        value_tier text,
        lifecycle_stage text NOT NULL,
        tag_scores jsonb NOT NULL,
        churn_score int NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".product (
        product_code text PRIMARY KEY,
        kind text NOT NULL
      )`);
    await queryRunner.query(`
      INSERT INTO "${s}".product (product_code, kind)
      SELECT DISTINCT ON (product_code) product_code, kind FROM "${s}".holding
       WHERE kind IS NOT NULL ORDER BY product_code, opened_at DESC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".product`);
    await queryRunner.query(`DROP TABLE "${s}".analytic_profile`);
  }
}
