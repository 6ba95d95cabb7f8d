import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** The indicators potential-customer tags and the churn warning are decided on (customer_indicator). */
const SIGNAL_COLUMNS = [
  ['aum_30d_before', 'numeric(20,2)'],
  ['txn_count_prior_90d', 'int'],
  ['pos_count_90d', 'int'],
  ['remote_count_90d', 'int'],
  ['other_bank_out_count_30d', 'int'],
  ['other_bank_out_amount_30d', 'numeric(20,2)'],
  ['other_bank_out_count_90d', 'int'],
  ['payroll_batches_90d', 'int'],
  ['accounts_closed_30d', 'int'],
  ['matured_not_renewed_30d', 'int'],
  ['wealth_products_held', 'int'],
  ['loans_held', 'int'],
  ['cards_held', 'int'],
] as const;

const PARAMETER_NAMES = (names: string[]) => names.map((n) => `'${n}'`).join(', ');
const BEFORE = ['value-tiers', 'contribution-spreads'];
const AFTER = [...BEFORE, 'potential-tags', 'churn-warning'];

/**
 * Potential-customer tags and the churn warning of a close of business: the indicators they are decided on,
 * the profile's tags (with scores), churn score, reasons (with points) and warning, and their parameters.
 * Rows of dates run before this read zero and no tags until their date is run again. A month partition
 * detached before this lacks the columns: it is archived, not attached again.
 */
export class PotentialTagsAndChurn1796500000000 implements MigrationInterface {
  name = 'PotentialTagsAndChurn1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);
    await q(
      `ALTER TABLE "${s}".customer_indicator ${SIGNAL_COLUMNS.map(
        ([column, type]) => `ADD COLUMN ${column} ${type} NOT NULL DEFAULT 0`,
      ).join(', ')}`,
    );
    await q(`
      ALTER TABLE "${s}".customer_profile
        ADD COLUMN tags jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN churn_score smallint NOT NULL DEFAULT 0 CHECK (churn_score BETWEEN 0 AND 100),
        ADD COLUMN churn_reasons jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN churn_warned boolean NOT NULL DEFAULT false`);
    // The warned customers of a date by score: the churn-warning lists read only these.
    await q(`
      CREATE INDEX customer_profile_churn_warned_idx
        ON "${s}".customer_profile (business_date, churn_score DESC, customer_id) WHERE churn_warned`);
    await q(`ALTER TABLE "${s}".analytics_parameter DROP CONSTRAINT analytics_parameter_name_check`);
    await q(
      `ALTER TABLE "${s}".analytics_parameter ADD CONSTRAINT analytics_parameter_name_check
         CHECK (name IN (${PARAMETER_NAMES(AFTER)}))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DELETE FROM "${s}".analytics_parameter WHERE name NOT IN (${PARAMETER_NAMES(BEFORE)})`);
    await q(`ALTER TABLE "${s}".analytics_parameter DROP CONSTRAINT analytics_parameter_name_check`);
    await q(
      `ALTER TABLE "${s}".analytics_parameter ADD CONSTRAINT analytics_parameter_name_check
         CHECK (name IN (${PARAMETER_NAMES(BEFORE)}))`,
    );
    await q(`DROP INDEX "${s}".customer_profile_churn_warned_idx`);
    await q(
      `ALTER TABLE "${s}".customer_profile DROP COLUMN tags, DROP COLUMN churn_score, DROP COLUMN churn_reasons,
         DROP COLUMN churn_warned`,
    );
    await q(
      `ALTER TABLE "${s}".customer_indicator ${SIGNAL_COLUMNS.map(([column]) => `DROP COLUMN ${column}`).join(', ')}`,
    );
  }
}
