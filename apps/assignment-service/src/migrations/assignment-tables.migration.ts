import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The assignment schema: the institution tree and managers (from corebank.organisation), the holdings
 * summary the coverage rules read, coverage with its history, manual pins, bank parameters and visits.
 */
export class AssignmentTables1763942400000 implements MigrationInterface {
  name = 'AssignmentTables1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);

    await q(`
      CREATE TABLE "${s}".institution (
        id text PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('head-office', 'branch', 'outlet')),
        parent_id text,
        region_code text NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q(`CREATE INDEX institution_parent_idx ON "${s}".institution (parent_id)`);

    await q(`
      CREATE TABLE "${s}".manager (
        id text PRIMARY KEY,
        name text NOT NULL,
        institution_id text NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q(`CREATE INDEX manager_institution_idx ON "${s}".manager (institution_id)`);

    // Holdings: balances as carried by the latest event about each item (as_of guards against older events
    // from another topic arriving late).
    await q(`
      CREATE TABLE "${s}".deposit_account (
        account_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        currency text NOT NULL,
        balance numeric(20,2) NOT NULL,
        opened_on date,
        manager_id text,
        closed boolean NOT NULL DEFAULT false,
        balance_as_of timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX deposit_account_customer_idx ON "${s}".deposit_account (customer_id)`);

    await q(`
      CREATE TABLE "${s}".loan (
        loan_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text NOT NULL,
        currency text NOT NULL,
        outstanding numeric(20,2) NOT NULL,
        disbursed_on date NOT NULL,
        settled boolean NOT NULL DEFAULT false,
        outstanding_as_of timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX loan_customer_idx ON "${s}".loan (customer_id)`);

    await q(`
      CREATE TABLE "${s}".card (
        card_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        currency text NOT NULL,
        credit_limit numeric(20,2) NOT NULL,
        issued_on date NOT NULL
      )`);
    await q(`CREATE INDEX card_customer_idx ON "${s}".card (customer_id)`);

    await q(`
      CREATE TABLE "${s}".credit_record (
        customer_id text PRIMARY KEY,
        last_incident_on date NOT NULL
      )`);

    await q(`
      CREATE TABLE "${s}".customer_coverage (
        customer_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 1),
        primary_institution_id text,
        primary_manager_id text,
        key_customer boolean NOT NULL,
        private_banker_id text,
        coverage jsonb NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text NOT NULL
      )`);
    await q(
      `CREATE INDEX customer_coverage_private_banker_idx ON "${s}".customer_coverage (private_banker_id) WHERE private_banker_id IS NOT NULL`,
    );

    // One row per covering institution: what data-scope predicates join on.
    await q(`
      CREATE TABLE "${s}".coverage_member (
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        role text NOT NULL CHECK (role IN ('primary', 'secondary')),
        reason text NOT NULL,
        basis text NOT NULL CHECK (basis IN ('automatic', 'manual')),
        PRIMARY KEY (customer_id, institution_id)
      )`);
    await q(
      `CREATE INDEX coverage_member_institution_idx ON "${s}".coverage_member (institution_id, customer_id)`,
    );
    await q(`CREATE INDEX coverage_member_manager_idx ON "${s}".coverage_member (manager_id, customer_id)`);

    await q(`
      CREATE TABLE "${s}".coverage_history (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        version integer NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('system', 'user')),
        reason text NOT NULL,
        coverage jsonb NOT NULL,
        UNIQUE (customer_id, version)
      )`);

    await q(`
      CREATE TABLE "${s}".manager_pin (
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text NOT NULL,
        pinned_by text NOT NULL,
        pinned_at timestamptz NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (customer_id, institution_id)
      )`);

    await q(`
      CREATE TABLE "${s}".bank_parameters (
        id smallint PRIMARY KEY CHECK (id = 1),
        key_customer_asset_threshold numeric(20,2) NOT NULL CHECK (key_customer_asset_threshold >= 0),
        key_customer_loan_threshold numeric(20,2) NOT NULL CHECK (key_customer_loan_threshold >= 0),
        key_customer_clean_years integer NOT NULL CHECK (key_customer_clean_years BETWEEN 1 AND 30),
        visit_duty_loan_threshold numeric(20,2) NOT NULL CHECK (visit_duty_loan_threshold >= 0),
        visit_duty_min_visits_per_month integer NOT NULL CHECK (visit_duty_min_visits_per_month BETWEEN 1 AND 31),
        version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL,
        reason text NOT NULL
      )`);
    await q(`
      CREATE TABLE "${s}".bank_parameters_history (
        version integer PRIMARY KEY,
        key_customer_asset_threshold numeric(20,2) NOT NULL,
        key_customer_loan_threshold numeric(20,2) NOT NULL,
        key_customer_clean_years integer NOT NULL,
        visit_duty_loan_threshold numeric(20,2) NOT NULL,
        visit_duty_min_visits_per_month integer NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL,
        reason text NOT NULL
      )`);
    // The bank's starting values (CNY): change them over REST, never here.
    await q(`
      INSERT INTO "${s}".bank_parameters
      VALUES (1, 1000000.00, 5000000.00, 3, 5000000.00, 2, 1, now(), 'system', 'initial values')`);
    await q(`
      INSERT INTO "${s}".bank_parameters_history
      SELECT version, key_customer_asset_threshold, key_customer_loan_threshold, key_customer_clean_years,
             visit_duty_loan_threshold, visit_duty_min_visits_per_month, updated_at, updated_by, reason
      FROM "${s}".bank_parameters`);

    await q(`
      CREATE TABLE "${s}".visit (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        manager_id text NOT NULL,
        institution_id text NOT NULL,
        visited_at timestamptz NOT NULL,
        content text NOT NULL,
        latitude numeric(9,6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude numeric(9,6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX visit_manager_idx ON "${s}".visit (manager_id, visited_at DESC, id DESC)`);
    await q(`CREATE INDEX visit_institution_idx ON "${s}".visit (institution_id, visited_at DESC, id DESC)`);
    await q(`CREATE INDEX visit_customer_idx ON "${s}".visit (customer_id, manager_id, visited_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'visit',
      'bank_parameters_history',
      'bank_parameters',
      'manager_pin',
      'coverage_history',
      'coverage_member',
      'customer_coverage',
      'credit_record',
      'card',
      'loan',
      'deposit_account',
      'manager',
      'institution',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
    }
  }
}
