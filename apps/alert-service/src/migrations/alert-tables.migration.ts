import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** The alert service's tables: alerts, reminders, window facts, parameters and its projections. */
export class AlertTables1764000000000 implements MigrationInterface {
  name = 'AlertTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alert_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        customer_id text NOT NULL,
        subject_ref text NOT NULL,
        period_key text NOT NULL,
        severity text NOT NULL,
        amount numeric(20,2),
        currency char(3),
        institution_id text NOT NULL,
        manager_id text,
        routed_to text NOT NULL,
        secondary_institution_id text,
        secondary_manager_id text,
        reason text NOT NULL,
        source_event_ids text[] NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        status text NOT NULL DEFAULT 'open',
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        resolved_by text,
        outcome text,
        CONSTRAINT alert_status_check CHECK (status IN ('open', 'acknowledged', 'resolved'))
      )`);
    await queryRunner.query(
      `CREATE INDEX alert_manager_idx ON "${s}".alert (manager_id, raised_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX alert_secondary_manager_idx ON "${s}".alert (secondary_manager_id, raised_at DESC, id DESC) WHERE secondary_manager_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX alert_institution_idx ON "${s}".alert (institution_id, raised_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX alert_secondary_institution_idx ON "${s}".alert (secondary_institution_id, raised_at DESC, id DESC) WHERE secondary_institution_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX alert_customer_idx ON "${s}".alert (customer_id, raised_at DESC)`);
    await queryRunner.query(`CREATE INDEX alert_raised_idx ON "${s}".alert (raised_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE "${s}".reminder (
        alert_key text PRIMARY KEY,
        kind text NOT NULL,
        customer_id text NOT NULL,
        subject_ref text NOT NULL,
        period_key text NOT NULL,
        institution_id text NOT NULL,
        due_from timestamptz NOT NULL,
        amount numeric(20,2),
        currency char(3),
        reason text NOT NULL,
        source_event_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reminder_status_check CHECK (status IN ('pending', 'raised', 'cancelled'))
      )`);
    await queryRunner.query(
      `CREATE INDEX reminder_pending_customer_idx ON "${s}".reminder (customer_id, due_from) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX reminder_pending_subject_idx ON "${s}".reminder (subject_ref) WHERE status = 'pending'`,
    );

    // The facts behind the sliding windows: Redis holds the hot copy, this table rebuilds it after a wipe.
    await queryRunner.query(`
      CREATE TABLE "${s}".flow_entry (
        transaction_id text PRIMARY KEY,
        account_id text NOT NULL,
        customer_id text NOT NULL,
        direction char(4) NOT NULL,
        booked_at timestamptz NOT NULL,
        amount numeric(20,2) NOT NULL,
        currency char(3) NOT NULL,
        to_other_bank boolean NOT NULL,
        reversed boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(
      `CREATE INDEX flow_entry_window_idx ON "${s}".flow_entry (account_id, direction, booked_at) WHERE NOT reversed`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".alert_parameters (
        id bigserial PRIMARY KEY,
        institution_id text NOT NULL,
        effective_from timestamptz NOT NULL DEFAULT clock_timestamp(),
        parameters jsonb,
        changed_by text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX alert_parameters_lookup_idx ON "${s}".alert_parameters (institution_id, effective_from DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".coverage (
        customer_id text PRIMARY KEY,
        version int NOT NULL,
        primary_institution_id text,
        primary_manager_id text,
        private_banker_id text,
        secondary jsonb NOT NULL DEFAULT '[]',
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".institution (
        institution_id text PRIMARY KEY,
        parent_id text,
        level text NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX institution_parent_idx ON "${s}".institution (parent_id)`);
    await queryRunner.query(`
      CREATE TABLE "${s}".manager (
        manager_id text PRIMARY KEY,
        institution_id text NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX manager_institution_idx ON "${s}".manager (institution_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'manager',
      'institution',
      'coverage',
      'alert_parameters',
      'flow_entry',
      'reminder',
      'alert',
    ])
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
  }
}
