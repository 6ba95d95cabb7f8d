import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { coverageProjectionTablesSql } from '@crm/security';

/**
 * The campaign service's tables: campaigns and their targets, the contact ledger (the truth the Redis
 * counters are rebuilt from), contact policies, manager tasks, offer decisions and responses, and the
 * projections it keeps from other services' events (coverage, organisation, consent, contact points,
 * holdings).
 */
export class CampaignTables1795900000000 implements MigrationInterface {
  name = 'CampaignTables1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".campaign (
        campaign_id text PRIMARY KEY,
        name text NOT NULL,
        objective text NOT NULL,
        owner_institution_id text NOT NULL,
        product_codes text[] NOT NULL,
        channels text[] NOT NULL,
        templates jsonb NOT NULL,
        cost_per_contact jsonb NOT NULL,
        conversion_value numeric(20,2) NOT NULL,
        currency char(3) NOT NULL,
        priority int NOT NULL,
        control_share numeric(4,3) NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        attribution_days int NOT NULL,
        audience jsonb NOT NULL,
        audience_size int,
        audience_ready_at timestamptz,
        audience_lease_until timestamptz,
        audience_error text,
        status text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        submitted_by text,
        approved_by text,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT campaign_period_check CHECK (starts_at < ends_at),
        CONSTRAINT campaign_status_check CHECK (status IN
          ('draft', 'submitted', 'approved', 'running', 'paused', 'completed', 'cancelled'))
      )`);
    await queryRunner.query(
      `CREATE INDEX campaign_owner_idx ON "${s}".campaign (owner_institution_id, created_at DESC, campaign_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX campaign_running_idx ON "${s}".campaign (status) WHERE status = 'running'`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}".campaign_transition (
        id bigserial PRIMARY KEY,
        campaign_id text NOT NULL REFERENCES "${s}".campaign ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        note text
      )`);
    await queryRunner.query(
      `CREATE INDEX campaign_transition_idx ON "${s}".campaign_transition (campaign_id, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".target (
        campaign_id text NOT NULL REFERENCES "${s}".campaign ON DELETE CASCADE,
        customer_id text NOT NULL,
        arm text NOT NULL,
        source text NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        due_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_reason text,
        added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (campaign_id, customer_id),
        CONSTRAINT target_arm_check CHECK (arm IN ('treatment', 'control')),
        CONSTRAINT target_state_check CHECK (state IN ('pending', 'contacted', 'held-back', 'closed'))
      )`);
    await queryRunner.query(
      `CREATE INDEX target_due_idx ON "${s}".target (due_at, customer_id) WHERE state = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX target_customer_idx ON "${s}".target (customer_id)`);

    await queryRunner.query(`
      CREATE TABLE "${s}".contact (
        contact_id uuid PRIMARY KEY,
        campaign_id text NOT NULL,
        customer_id text NOT NULL,
        channel text NOT NULL,
        outcome text NOT NULL,
        reason text,
        institution_id text,
        manager_id text,
        phone_hash text,
        email_hash text,
        due_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT contact_outcome_check CHECK (outcome IN ('sent', 'delivered', 'suppressed', 'deferred', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX contact_customer_idx ON "${s}".contact (customer_id, recorded_at)`);
    await queryRunner.query(`CREATE INDEX contact_campaign_idx ON "${s}".contact (campaign_id, outcome)`);
    await queryRunner.query(
      `CREATE INDEX contact_sent_idx ON "${s}".contact (recorded_at) WHERE outcome IN ('sent', 'delivered')`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".contact_policy (
        id bigserial PRIMARY KEY,
        institution_id text,
        policy jsonb,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        note text
      )`);
    await queryRunner.query(
      `CREATE INDEX contact_policy_idx ON "${s}".contact_policy (institution_id, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".task (
        task_id uuid PRIMARY KEY,
        campaign_id text NOT NULL,
        customer_id text NOT NULL,
        manager_id text NOT NULL,
        institution_id text NOT NULL,
        channel text NOT NULL,
        product_codes text[] NOT NULL,
        message text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open',
        outcome text,
        note text,
        done_by text,
        done_at timestamptz,
        CONSTRAINT task_status_check CHECK (status IN ('open', 'done'))
      )`);
    await queryRunner.query(
      `CREATE INDEX task_manager_idx ON "${s}".task (manager_id, status, due_at, task_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".offer_response (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        product_code text NOT NULL,
        campaign_id text NOT NULL,
        channel text NOT NULL,
        outcome text NOT NULL,
        responded_at timestamptz NOT NULL,
        recorded_by text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX offer_response_customer_idx ON "${s}".offer_response (customer_id, product_code, responded_at DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}".do_not_contact (
        customer_id text PRIMARY KEY,
        reason text NOT NULL,
        note text,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".consent (
        customer_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, channel)
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".contact_point (
        customer_id text PRIMARY KEY,
        phone_hash text,
        email_hash text,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".holding (
        customer_id text NOT NULL,
        product_code text NOT NULL,
        opened_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, product_code)
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}".conversion (
        campaign_id text NOT NULL,
        customer_id text NOT NULL,
        product_code text NOT NULL,
        arm text NOT NULL,
        converted_at timestamptz NOT NULL,
        source_event_id text NOT NULL,
        PRIMARY KEY (campaign_id, customer_id)
      )`);
    for (const sql of coverageProjectionTablesSql(s)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'manager',
      'institution',
      'coverage',
      'conversion',
      'holding',
      'contact_point',
      'consent',
      'do_not_contact',
      'offer_response',
      'task',
      'contact_policy',
      'contact',
      'target',
      'campaign_transition',
      'campaign',
    ])
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
  }
}
