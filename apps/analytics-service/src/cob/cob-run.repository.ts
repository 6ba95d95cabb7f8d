import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { CobParameters } from '../parameters/analytics-parameters.service';
import type { RfmBreakpoints } from '../profiles/rfm.rule';

export const RunStatus = { Running: 'running', Succeeded: 'succeeded', Failed: 'failed' } as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** A run's phases: every shard's indicators, then (all shards written) RFM and every shard's profiles, then the outbox. */
export const RunPhase = {
  Indicators: 'indicators',
  Profiles: 'profiles',
  Publishing: 'publishing',
  Done: 'done',
} as const;
export type RunPhase = (typeof RunPhase)[keyof typeof RunPhase];

export const ShardStage = { Pending: 'pending', Indicated: 'indicated', Profiled: 'profiled' } as const;
export type ShardStage = (typeof ShardStage)[keyof typeof ShardStage];

export interface CobRun {
  runId: string;
  businessDate: string;
  shards: number;
  status: RunStatus;
  phase: RunPhase;
  requestedBy: string;
  parameters: CobParameters;
  previousBusinessDate: string | null;
  rfmBreakpoints: RfmBreakpoints | null;
  customers: number | null;
  changed: number | null;
  published: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface CobRunShard {
  shard: number;
  stage: ShardStage;
  customers: number | null;
  changed: number | null;
  indicatorsMs: number | null;
  profilesMs: number | null;
}

const RUN_COLUMNS = `run_id AS "runId", business_date::text AS "businessDate", shards, status, phase,
  requested_by AS "requestedBy", parameters, previous_business_date::text AS "previousBusinessDate",
  rfm_breakpoints AS "rfmBreakpoints", customers, changed, published, error, started_at AS "startedAt",
  finished_at AS "finishedAt"`;

/** Runs of the close of business and their shards: what each has done, so any instance can take the next step. */
@Injectable()
export class CobRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get s(): string {
    return schemaOf(this.dataSource);
  }

  /** Marks the date's running run failed when it has shown no progress since `before` (its process died). */
  async abandonStale(tx: EntityManager, businessDate: string, before: Date): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run SET status = 'failed', finished_at = now(),
              error = 'abandoned: no progress since ' || heartbeat_at
        WHERE business_date = $1 AND status = 'running' AND heartbeat_at < $2`,
      [businessDate, before],
    );
  }

  /** Opens a run with its pending shards; null when the date already has a running one. */
  async open(
    tx: EntityManager,
    run: Pick<
      CobRun,
      'runId' | 'businessDate' | 'shards' | 'requestedBy' | 'parameters' | 'previousBusinessDate'
    >,
  ): Promise<boolean> {
    const opened: unknown[] = await tx.query(
      `INSERT INTO "${this.s}".cob_run (run_id, business_date, shards, status, phase, requested_by, parameters,
         previous_business_date)
       VALUES ($1, $2, $3, 'running', 'indicators', $4, $5, $6)
       ON CONFLICT (business_date) WHERE status = 'running' DO NOTHING RETURNING 1`,
      [
        run.runId,
        run.businessDate,
        run.shards,
        run.requestedBy,
        JSON.stringify(run.parameters),
        run.previousBusinessDate,
      ],
    );
    if (opened.length === 0) return false;
    await tx.query(
      `INSERT INTO "${this.s}".cob_run_shard (run_id, shard, stage)
       SELECT $1, shard, 'pending' FROM generate_series(0, $2 - 1) AS shard`,
      [run.runId, run.shards],
    );
    return true;
  }

  async running(businessDate: string, tx?: EntityManager): Promise<CobRun | null> {
    const rows: CobRun[] = await (tx ?? this.dataSource.manager).query(
      `SELECT ${RUN_COLUMNS} FROM "${this.s}".cob_run WHERE business_date = $1 AND status = 'running'`,
      [businessDate],
    );
    return rows[0] ?? null;
  }

  async find(runId: string): Promise<CobRun | null> {
    const rows: CobRun[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM "${this.s}".cob_run WHERE run_id = $1`,
      [runId],
    );
    return rows[0] ?? null;
  }

  async shardsOf(runId: string): Promise<CobRunShard[]> {
    return this.dataSource.query(
      `SELECT shard, stage, customers, changed, indicators_ms AS "indicatorsMs", profiles_ms AS "profilesMs"
         FROM "${this.s}".cob_run_shard WHERE run_id = $1 ORDER BY shard`,
      [runId],
    );
  }

  /** The latest date before `businessDate` whose run finished: the profiles a run compares with. */
  async previousDate(tx: EntityManager, businessDate: string): Promise<string | null> {
    const [row]: { date: string | null }[] = await tx.query(
      `SELECT max(business_date)::text AS date FROM "${this.s}".cob_run
        WHERE status = 'succeeded' AND business_date < $1`,
      [businessDate],
    );
    return row.date;
  }

  /** The latest business date whose run finished: what reads show by default. */
  async latestDate(): Promise<string | null> {
    const [row]: { date: string | null }[] = await this.dataSource.query(
      `SELECT max(business_date)::text AS date FROM "${this.s}".cob_run WHERE status = 'succeeded'`,
    );
    return row.date;
  }

  /** Whether a close of business of the date has finished. */
  async succeededOn(businessDate: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "${this.s}".cob_run WHERE business_date = $1 AND status = 'succeeded' LIMIT 1`,
      [businessDate],
    );
    return rows.length > 0;
  }

  /** Locks the shard's row for the caller's transaction; its stage then (a duplicate worker waits, then skips). */
  async lockShard(tx: EntityManager, runId: string, shard: number): Promise<ShardStage | null> {
    const rows: { stage: ShardStage }[] = await tx.query(
      `SELECT stage FROM "${this.s}".cob_run_shard WHERE run_id = $1 AND shard = $2 FOR UPDATE`,
      [runId, shard],
    );
    return rows[0]?.stage ?? null;
  }

  async shardIndicated(
    tx: EntityManager,
    runId: string,
    shard: number,
    customers: number,
    ms: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run_shard SET stage = 'indicated', customers = $3, indicators_ms = $4
        WHERE run_id = $1 AND shard = $2`,
      [runId, shard, customers, ms],
    );
  }

  async shardProfiled(
    tx: EntityManager,
    runId: string,
    shard: number,
    changed: number,
    ms: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run_shard SET stage = 'profiled', changed = $3, profiles_ms = $4
        WHERE run_id = $1 AND shard = $2`,
      [runId, shard, changed, ms],
    );
  }

  /**
   * Moves the run to its profiles once no shard is pending, under the run's row lock, so of the shards
   * finishing together exactly one (the last) sees them all written and takes the rest of the run.
   */
  async claimProfiles(runId: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM "${this.s}".cob_run WHERE run_id = $1 FOR UPDATE`, [runId]);
      // An UPDATE's own answer through TypeORM is [rows, count]: counted in a SELECT instead.
      const [{ claimed }]: { claimed: number }[] = await tx.query(
        `WITH claimed AS (
           UPDATE "${this.s}".cob_run SET phase = 'profiles', heartbeat_at = now()
            WHERE run_id = $1 AND status = 'running' AND phase = 'indicators'
              AND NOT EXISTS (SELECT 1 FROM "${this.s}".cob_run_shard WHERE run_id = $1 AND stage = 'pending')
           RETURNING 1
         )
         SELECT count(*)::int AS claimed FROM claimed`,
        [runId],
      );
      return claimed > 0;
    });
  }

  async setBreakpoints(runId: string, breakpoints: RfmBreakpoints): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".cob_run SET rfm_breakpoints = $2, heartbeat_at = now() WHERE run_id = $1`,
      [runId, JSON.stringify(breakpoints)],
    );
  }

  async enterPhase(runId: string, phase: RunPhase): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".cob_run SET phase = $2, heartbeat_at = now() WHERE run_id = $1`,
      [runId, phase],
    );
  }

  /** Progress: the run is alive. Its own statement, so concurrent shards do not queue on the run's row. */
  async heartbeat(runId: string): Promise<void> {
    await this.dataSource.query(`UPDATE "${this.s}".cob_run SET heartbeat_at = now() WHERE run_id = $1`, [
      runId,
    ]);
  }

  async published(tx: EntityManager, runId: string, count: number): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run SET published = published + $2, heartbeat_at = now() WHERE run_id = $1`,
      [runId, count],
    );
  }

  async succeed(runId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".cob_run r SET status = 'succeeded', phase = 'done', finished_at = now(),
              customers = t.customers, changed = t.changed
         FROM (SELECT sum(customers)::int AS customers, sum(changed)::int AS changed
                 FROM "${this.s}".cob_run_shard WHERE run_id = $1) t
        WHERE r.run_id = $1`,
      [runId],
    );
  }

  async fail(runId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.s}".cob_run SET status = 'failed', finished_at = now(), error = $2
        WHERE run_id = $1 AND status = 'running'`,
      [runId, error.slice(0, 2000)],
    );
  }
}
