import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** Webhook subscriptions (who, where, which kinds, with whose rights) and one delivery per alert and subscriber. */
export class WebhookTables1765000000000 implements MigrationInterface {
  name = 'WebhookTables1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".webhook_subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        secret_enc text NOT NULL,
        kinds text[] NOT NULL DEFAULT '{}',
        description text,
        owner_id text NOT NULL,
        owner_roles text[] NOT NULL,
        owner_institution_id text NOT NULL,
        owner_manager_id text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ON "${s}".webhook_subscription (owner_id)`);
    await queryRunner.query(`
      CREATE TABLE "${s}".webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES "${s}".webhook_subscription (id),
        alert_id uuid NOT NULL REFERENCES "${s}".alert (id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (subscription_id, alert_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ON "${s}".webhook_delivery (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX ON "${s}".webhook_delivery (subscription_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}".webhook_delivery`);
    await queryRunner.query(`DROP TABLE "${s}".webhook_subscription`);
  }
}
