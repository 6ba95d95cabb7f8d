import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { coverageProjectionTablesSql } from '@crm/security';

/**
 * The warehouse: dimensions (customers, institutions, managers, coverage and its history), holdings
 * (accounts, loans, cards), transactions partitioned by business month, and end-of-day balances.
 * No foreign keys: events of different topics arrive in any order. Every row is written by an upsert
 * guarded by the time of the fact it states, so a replay of the topics writes the same rows.
 * The warehouse keeps no names, ID or phone numbers of customers: nothing it computes needs them.
 */
export class WarehouseTables1796000000000 implements MigrationInterface {
  name = 'WarehouseTables1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);

    await q(`
      CREATE TABLE "${s}".customer (
        customer_id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('individual', 'corporate')),
        gender text,
        birth_date date,
        industry text,
        region_code text NOT NULL,
        home_institution_id text NOT NULL,
        registered_on date,
        profile_as_of timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX customer_home_institution_idx ON "${s}".customer (home_institution_id)`);

    // The shared projection data scope reads (coverage, institution, manager), with what league tables show.
    for (const sql of coverageProjectionTablesSql(s)) await q(sql);
    await q(`ALTER TABLE "${s}".institution ADD COLUMN region_code text, ADD COLUMN as_of timestamptz`);
    await q(`ALTER TABLE "${s}".manager ADD COLUMN name text, ADD COLUMN as_of timestamptz`);
    await q(`CREATE INDEX coverage_primary_institution_idx ON "${s}".coverage (primary_institution_id)`);
    await q(`CREATE INDEX coverage_primary_manager_idx ON "${s}".coverage (primary_manager_id)`);
    // Every version of every customer's coverage: who covered whom when, for league tables over a period.
    await q(`
      CREATE TABLE "${s}".coverage_history (
        customer_id text NOT NULL,
        version int NOT NULL,
        primary_institution_id text,
        primary_manager_id text,
        private_banker_id text,
        secondary jsonb NOT NULL,
        key_customer boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, version)
      )`);

    // Holdings. Each group of columns carries the time of the fact that set it (`*_as_of`): a later or
    // equal fact replaces it, an earlier one (late, replayed) does not.
    await q(`
      CREATE TABLE "${s}".account (
        account_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        kind text,
        product_code text,
        product_name text,
        currency text,
        manager_id text,
        opened_on date,
        closed_on date,
        maturity_date date,
        maturity_as_of date,
        status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'dormant', 'frozen', 'closed')),
        status_as_of timestamptz,
        balance numeric(20,2),
        balance_as_of timestamptz,
        balance_fact_id text COLLATE "C"
      )`);
    await q(`CREATE INDEX account_customer_idx ON "${s}".account (customer_id)`);

    await q(`
      CREATE TABLE "${s}".loan (
        loan_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        product_code text,
        product_name text,
        currency text,
        principal numeric(20,2),
        interest_rate numeric(11,8),
        repayment_method text,
        disbursed_on date,
        maturity_date date,
        schedule_as_of date,
        classification text,
        classification_as_of date,
        days_overdue int NOT NULL DEFAULT 0,
        overdue_as_of date,
        interest_unpaid numeric(20,2) NOT NULL DEFAULT 0,
        interest_unpaid_as_of date,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'settled')),
        settled_on date,
        settlement text,
        balance numeric(20,2),
        balance_as_of timestamptz,
        balance_fact_id text COLLATE "C"
      )`);
    await q(`CREATE INDEX loan_customer_idx ON "${s}".loan (customer_id)`);

    await q(`
      CREATE TABLE "${s}".card (
        card_id text PRIMARY KEY,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        manager_id text,
        product_code text,
        product_name text,
        currency text,
        credit_limit numeric(20,2),
        issued_on date,
        statement_day int,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'overdue')),
        status_as_of timestamptz,
        days_overdue int NOT NULL DEFAULT 0,
        stated_balance numeric(20,2),
        stated_as_of timestamptz,
        outstanding_balance numeric(20,2) NOT NULL DEFAULT 0
      )`);
    await q(`CREATE INDEX card_customer_idx ON "${s}".card (customer_id)`);

    // Deposit entries and card spends, one row per booked fact, partitioned by the business month; the
    // service attaches each month's partition when its first fact arrives (partitions/).
    await q(`
      CREATE TABLE "${s}".transaction_fact (
        source text NOT NULL CHECK (source IN ('account', 'card')),
        transaction_id text NOT NULL,
        business_date date NOT NULL,
        holding_id text NOT NULL,
        customer_id text NOT NULL,
        institution_id text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('CRDT', 'DBIT')),
        amount numeric(20,2) NOT NULL,
        currency text NOT NULL,
        booked_at timestamptz NOT NULL,
        value_date date,
        bank_transaction_code text,
        channel text,
        other_bank boolean,
        counterparty_bank_code text,
        balance_after numeric(20,2),
        reversal_of text,
        merchant_category_code text,
        PRIMARY KEY (source, transaction_id, business_date)
      ) PARTITION BY RANGE (business_date)`);
    await q(
      `CREATE INDEX transaction_fact_customer_idx ON "${s}".transaction_fact (customer_id, business_date)`,
    );
    await q(`CREATE INDEX transaction_fact_holding_idx ON "${s}".transaction_fact (holding_id, booked_at)`);

    // One row per holding and business date on which its balance was stated; days between rows carry
    // the earlier row's balance forward (balances/daily-balance.rule.ts). Fact ids break ties between
    // facts of one instant, compared byte by byte ("C") as the rule compares them.
    await q(`
      CREATE TABLE "${s}".daily_balance (
        holding_type text NOT NULL CHECK (holding_type IN ('account', 'loan')),
        holding_id text NOT NULL,
        business_date date NOT NULL,
        customer_id text NOT NULL,
        balance numeric(20,2) NOT NULL,
        currency text NOT NULL,
        as_of timestamptz NOT NULL,
        fact_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (holding_type, holding_id, business_date)
      )`);
    await q(`CREATE INDEX daily_balance_customer_idx ON "${s}".daily_balance (customer_id, business_date)`);
  }

  /** Partitions an operator detached are tables of their own: they stay, for whoever archived them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'daily_balance',
      'transaction_fact',
      'card',
      'loan',
      'account',
      'coverage_history',
      'manager',
      'institution',
      'coverage',
      'customer',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
    }
  }
}
