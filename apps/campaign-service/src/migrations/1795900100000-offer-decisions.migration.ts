import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** Next-best-offer decisions at the lobby, counter and in the app, with the customer's response. */
export class OfferDecisions1795900100000 implements MigrationInterface {
  name = 'OfferDecisions1795900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".offer_decision (
        decision_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        channel text NOT NULL,
        campaign_id text,
        product_codes text[] NOT NULL DEFAULT '{}',
        reason text,
        context jsonb NOT NULL DEFAULT '{}',
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        response text,
        responded_at timestamptz,
        CONSTRAINT offer_decision_response_check CHECK (response IN ('accepted', 'declined', 'ignored'))
      )`);
    await queryRunner.query(
      `CREATE INDEX offer_decision_customer_idx ON "${s}".offer_decision (customer_id, decided_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX offer_decision_campaign_idx ON "${s}".offer_decision (campaign_id) WHERE campaign_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".offer_decision`);
  }
}
