import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * analytics-service's latest profile of each customer (crm.analytics.profile), as of its business date:
 * kept apart from `customer` because a profile may arrive before the customer's registration does. The
 * value tier and lifecycle stage are copied onto `customer` (what search filters on) and the potential
 * tags into `customer_tag` (kind 'analytic'); the rest is read by the 360 view from here.
 */
export class AnalyticProfile1796000000000 implements MigrationInterface {
  name = 'AnalyticProfile1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".analytic_profile (
        customer_id text PRIMARY KEY,
        business_date date NOT NULL,
        computed_at timestamptz NOT NULL,
        value_tier text,
        lifecycle_stage text NOT NULL,
        rfm jsonb,
        tags jsonb NOT NULL,
        churn_score int NOT NULL CHECK (churn_score BETWEEN 0 AND 100),
        churn_reasons text[] NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX analytic_profile_churn_idx ON "${s}".analytic_profile (churn_score)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".analytic_profile`);
  }
}
