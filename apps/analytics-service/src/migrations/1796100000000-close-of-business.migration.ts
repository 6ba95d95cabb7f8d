import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The close of business (日终批处理): each business date's figures per customer (`customer_indicator`) and
 * profile (`customer_profile`), both range-partitioned by business month like the transaction facts, value
 * tier changes, the queue of profiles to publish, the bank's parameters, and the runs with their shards.
 * Also the history of what cards' statements and payments stated, so a past date's card balance can be read.
 */
export class CloseOfBusiness1796100000000 implements MigrationInterface {
  name = 'CloseOfBusiness1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const q = (sql: string) => queryRunner.query(sql);

    // Every balance a statement or a payment stated, kept beside card.stated_balance (the latest only).
    await q(`
      CREATE TABLE "${s}".card_stated_balance (
        card_id text NOT NULL,
        as_of timestamptz NOT NULL,
        customer_id text NOT NULL,
        balance numeric(20,2) NOT NULL,
        PRIMARY KEY (card_id, as_of)
      )`);
    await q(`
      INSERT INTO "${s}".card_stated_balance (card_id, as_of, customer_id, balance)
      SELECT card_id, stated_as_of, customer_id, stated_balance FROM "${s}".card WHERE stated_as_of IS NOT NULL`);

    // Append-only: the latest row of a name is in force; none means the defaults in code.
    await q(`
      CREATE TABLE "${s}".analytics_parameter (
        id bigserial PRIMARY KEY,
        name text NOT NULL CHECK (name IN ('value-tiers', 'contribution-spreads')),
        value jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX analytics_parameter_name_idx ON "${s}".analytics_parameter (name, id DESC)`);

    await q(`
      CREATE TABLE "${s}".cob_run (
        run_id uuid PRIMARY KEY,
        business_date date NOT NULL,
        shards int NOT NULL CHECK (shards BETWEEN 1 AND 256),
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        phase text NOT NULL CHECK (phase IN ('indicators', 'profiles', 'publishing', 'done')),
        requested_by text NOT NULL,
        parameters jsonb NOT NULL,
        previous_business_date date,
        rfm_breakpoints jsonb,
        customers int,
        changed int,
        published int NOT NULL DEFAULT 0,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // One running run per business date: a second request joins it.
    await q(
      `CREATE UNIQUE INDEX cob_run_running_idx ON "${s}".cob_run (business_date) WHERE status = 'running'`,
    );
    await q(`CREATE INDEX cob_run_date_idx ON "${s}".cob_run (business_date, status)`);
    await q(`
      CREATE TABLE "${s}".cob_run_shard (
        run_id uuid NOT NULL REFERENCES "${s}".cob_run ON DELETE CASCADE,
        shard int NOT NULL,
        stage text NOT NULL CHECK (stage IN ('pending', 'indicated', 'profiled')),
        customers int,
        changed int,
        indicators_ms int,
        profiles_ms int,
        PRIMARY KEY (run_id, shard)
      )`);

    // One row per customer and business date: 1M customers make 30M rows a month, so months are partitions
    // (attached by the run, detached with the transaction facts); a date's rows are written together.
    await q(`
      CREATE TABLE "${s}".customer_indicator (
        business_date date NOT NULL,
        customer_id text NOT NULL,
        primary_institution_id text,
        primary_manager_id text,
        demand_deposits numeric(20,2) NOT NULL,
        time_deposits numeric(20,2) NOT NULL,
        wealth numeric(20,2) NOT NULL,
        deposits numeric(20,2) NOT NULL,
        aum numeric(20,2) NOT NULL,
        loan_balance numeric(20,2) NOT NULL,
        card_balance numeric(20,2) NOT NULL,
        liabilities numeric(20,2) NOT NULL,
        deposits_avg_mtd numeric(20,2) NOT NULL,
        deposits_avg_qtd numeric(20,2) NOT NULL,
        deposits_avg_ytd numeric(20,2) NOT NULL,
        aum_avg_mtd numeric(20,2) NOT NULL,
        aum_avg_qtd numeric(20,2) NOT NULL,
        aum_avg_ytd numeric(20,2) NOT NULL,
        aum_avg_90d numeric(20,2) NOT NULL,
        aum_avg_prev_90d numeric(20,2) NOT NULL,
        had_balance_90d boolean NOT NULL,
        first_held_on date,
        holdings_held int NOT NULL,
        asset_accounts_held int NOT NULL,
        kinds_held int NOT NULL,
        products_held int NOT NULL,
        cross_sell_ratio numeric(5,4) NOT NULL,
        txn_count_30d int NOT NULL,
        txn_amount_30d numeric(20,2) NOT NULL,
        txn_count_90d int NOT NULL,
        txn_amount_90d numeric(20,2) NOT NULL,
        last_txn_date date,
        recency_days int,
        share_counter numeric(5,4),
        share_mobile numeric(5,4),
        share_atm numeric(5,4),
        share_pos numeric(5,4),
        share_online numeric(5,4),
        contribution_day numeric(20,2) NOT NULL,
        contribution_mtd numeric(20,2) NOT NULL,
        PRIMARY KEY (business_date, customer_id)
      ) PARTITION BY RANGE (business_date)`);

    await q(`
      CREATE TABLE "${s}".customer_profile (
        business_date date NOT NULL,
        customer_id text NOT NULL,
        value_tier text CHECK (value_tier IN ('top', 'important', 'core', 'mass')),
        lifecycle_stage text NOT NULL
          CHECK (lifecycle_stage IN ('prospect', 'new', 'growing', 'mature', 'declining', 'lost')),
        rfm_recency smallint,
        rfm_frequency smallint,
        rfm_monetary smallint,
        rfm_segment text,
        changed boolean NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (business_date, customer_id)
      ) PARTITION BY RANGE (business_date)`);

    // A row whenever a customer's tier differs from the one of the previous run's date (a first tier too).
    await q(`
      CREATE TABLE "${s}".value_tier_change (
        customer_id text NOT NULL,
        business_date date NOT NULL,
        from_tier text,
        to_tier text,
        PRIMARY KEY (customer_id, business_date)
      )`);
    await q(`CREATE INDEX value_tier_change_date_idx ON "${s}".value_tier_change (business_date)`);

    // Changed profiles waiting for the outbox: written with the profile, deleted as their events are.
    await q(`
      CREATE TABLE "${s}".profile_publication (
        business_date date NOT NULL,
        customer_id text NOT NULL,
        PRIMARY KEY (business_date, customer_id)
      )`);
  }

  /** Month partitions an operator detached are tables of their own: they stay, for whoever archived them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'profile_publication',
      'value_tier_change',
      'customer_profile',
      'customer_indicator',
      'cob_run_shard',
      'cob_run',
      'analytics_parameter',
      'card_stated_balance',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}".${table}`);
    }
  }
}
