import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The customer projection (customers, holdings, balances, transactions), the institution tree and
 * coverage copied from events, and what managers maintain here (prospects, consent, tags).
 * No foreign keys between projected tables: events of different topics arrive in any order.
 */
export class CustomerProjection1763900000000 implements MigrationInterface {
  name = 'CustomerProjection1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);

    await q(`
      CREATE TABLE "${s}".institution (
        id text PRIMARY KEY,
        parent_id text,
        name text NOT NULL,
        level text NOT NULL,
        region_code text NOT NULL,
        active boolean NOT NULL,
        as_of timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX institution_parent_idx ON "${s}".institution (parent_id)`);

    await q(`
      CREATE TABLE "${s}".customer (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('individual', 'corporate')),
        name text NOT NULL,
        gender text,
        birth_date date,
        industry text,
        region_code text NOT NULL,
        home_institution_id text NOT NULL,
        id_number_enc text,
        id_number_hash text,
        phone_enc text NOT NULL,
        phone_hash text NOT NULL,
        registered_on date,
        value_tier text,
        lifecycle_stage text,
        profile_as_of timestamptz NOT NULL
      )`);
    for (const column of [
      'kind',
      'gender',
      'birth_date',
      'region_code',
      'id_number_hash',
      'phone_hash',
      'value_tier',
      'lifecycle_stage',
    ]) {
      await q(`CREATE INDEX customer_${column}_idx ON "${s}".customer (${column})`);
    }

    await q(`
      CREATE TABLE "${s}".account (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        kind text,
        product_code text,
        product_name text,
        currency text NOT NULL DEFAULT 'CNY',
        status text NOT NULL DEFAULT 'active',
        opened_on date,
        closed_on date,
        maturity_date date,
        manager_id text,
        balance numeric(20,2) NOT NULL DEFAULT 0,
        balance_as_of timestamptz
      )`);
    await q(`CREATE INDEX account_customer_idx ON "${s}".account (customer_id, institution_id)`);
    await q(
      `CREATE INDEX account_maturity_idx ON "${s}".account (maturity_date) WHERE status <> 'closed' AND maturity_date IS NOT NULL`,
    );

    await q(`
      CREATE TABLE "${s}".account_transaction (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('CRDT', 'DBIT')),
        amount numeric(20,2) NOT NULL,
        currency text NOT NULL,
        booked_at timestamptz NOT NULL,
        bank_transaction_code text,
        channel text,
        balance_after numeric(20,2) NOT NULL,
        reversal_of text,
        reversed boolean NOT NULL DEFAULT false
      )`);
    await q(
      `CREATE INDEX account_transaction_customer_idx ON "${s}".account_transaction (customer_id, booked_at DESC)`,
    );
    await q(
      `CREATE INDEX account_transaction_institution_idx ON "${s}".account_transaction (customer_id, institution_id, booked_at DESC)`,
    );

    await q(`
      CREATE TABLE "${s}".loan (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        product_code text,
        product_name text,
        currency text NOT NULL DEFAULT 'CNY',
        principal numeric(20,2),
        outstanding numeric(20,2) NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'overdue', 'settled')),
        classification text,
        disbursed_on date,
        maturity_date date,
        interest_rate text,
        days_overdue int NOT NULL DEFAULT 0,
        overdue_amount numeric(20,2) NOT NULL DEFAULT 0,
        interest_unpaid numeric(20,2) NOT NULL DEFAULT 0,
        outstanding_as_of timestamptz
      )`);
    await q(`CREATE INDEX loan_customer_idx ON "${s}".loan (customer_id, institution_id)`);

    await q(`
      CREATE TABLE "${s}".card (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        product_code text,
        product_name text,
        masked_card_number text,
        currency text NOT NULL DEFAULT 'CNY',
        credit_limit numeric(20,2),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'overdue')),
        issued_on date,
        statement_date date,
        due_date date,
        statement_balance numeric(20,2) NOT NULL DEFAULT 0,
        outstanding_balance numeric(20,2) NOT NULL DEFAULT 0,
        days_overdue int NOT NULL DEFAULT 0,
        balance_as_of timestamptz
      )`);
    await q(`CREATE INDEX card_customer_idx ON "${s}".card (customer_id, institution_id)`);
    await q(`CREATE INDEX card_status_idx ON "${s}".card (status)`);

    // Per customer and institution, recomputed on every holding change: what search filters and totals read.
    await q(`
      CREATE TABLE "${s}".holding_summary (
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        deposits numeric(20,2) NOT NULL DEFAULT 0,
        wealth numeric(20,2) NOT NULL DEFAULT 0,
        loans numeric(20,2) NOT NULL DEFAULT 0,
        cards numeric(20,2) NOT NULL DEFAULT 0,
        product_codes text[] NOT NULL DEFAULT '{}',
        product_kinds text[] NOT NULL DEFAULT '{}',
        card_statuses text[] NOT NULL DEFAULT '{}',
        last_transaction_at timestamptz,
        PRIMARY KEY (customer_id, institution_id)
      )`);
    await q(`CREATE INDEX holding_summary_codes_idx ON "${s}".holding_summary USING gin (product_codes)`);
    await q(`CREATE INDEX holding_summary_kinds_idx ON "${s}".holding_summary USING gin (product_kinds)`);
    await q(`CREATE INDEX holding_summary_last_txn_idx ON "${s}".holding_summary (last_transaction_at)`);

    await q(`
      CREATE TABLE "${s}".coverage (
        customer_id text PRIMARY KEY,
        version int NOT NULL,
        primary_institution_id text,
        primary_manager_id text,
        private_banker_id text,
        key_customer boolean NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX coverage_primary_inst_idx ON "${s}".coverage (primary_institution_id)`);
    await q(`CREATE INDEX coverage_primary_mgr_idx ON "${s}".coverage (primary_manager_id)`);
    await q(`CREATE INDEX coverage_banker_idx ON "${s}".coverage (private_banker_id)`);
    await q(`
      CREATE TABLE "${s}".coverage_secondary (
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        reason text NOT NULL,
        PRIMARY KEY (customer_id, institution_id)
      )`);
    await q(`CREATE INDEX coverage_secondary_inst_idx ON "${s}".coverage_secondary (institution_id)`);
    await q(`CREATE INDEX coverage_secondary_mgr_idx ON "${s}".coverage_secondary (manager_id)`);

    await q(`
      CREATE TABLE "${s}".prospect (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('individual', 'corporate')),
        name text NOT NULL,
        gender text,
        birth_date date,
        region_code text,
        id_number_enc text,
        id_number_hash text,
        phone_enc text,
        phone_hash text,
        note text,
        institution_id text NOT NULL,
        manager_id text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        matched_customer_id text,
        matched_at timestamptz,
        match_method text CHECK (match_method IN ('id-number-hash', 'manual')),
        matched_by text
      )`);
    await q(
      `CREATE INDEX prospect_id_hash_idx ON "${s}".prospect (id_number_hash) WHERE matched_customer_id IS NULL`,
    );
    await q(`CREATE INDEX prospect_phone_hash_idx ON "${s}".prospect (phone_hash)`);
    await q(`CREATE INDEX prospect_scope_idx ON "${s}".prospect (institution_id, manager_id)`);

    await q(`
      CREATE TABLE "${s}".consent (
        customer_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'phone', 'app-push', 'email')),
        status text NOT NULL CHECK (status IN ('opted-in', 'opted-out')),
        changed_at timestamptz NOT NULL,
        changed_by text NOT NULL,
        source text NOT NULL,
        PRIMARY KEY (customer_id, channel)
      )`);
    await q(`CREATE INDEX consent_opt_out_idx ON "${s}".consent (channel) WHERE status = 'opted-out'`);
    await q(`
      CREATE TABLE "${s}".consent_history (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text NOT NULL,
        source text NOT NULL,
        note text
      )`);
    await q(`CREATE INDEX consent_history_customer_idx ON "${s}".consent_history (customer_id, id)`);

    await q(`
      CREATE TABLE "${s}".customer_tag (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        tag text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('manual', 'analytic')),
        source text NOT NULL,
        score numeric(9,4),
        valid_until timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (customer_id, kind, source, tag)
      )`);
    await q(`CREATE INDEX customer_tag_tag_idx ON "${s}".customer_tag (tag, customer_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'customer_tag',
      'consent_history',
      'consent',
      'prospect',
      'coverage_secondary',
      'coverage',
      'holding_summary',
      'card',
      'loan',
      'account_transaction',
      'account',
      'customer',
      'institution',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
    }
  }
}
