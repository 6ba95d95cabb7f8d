import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { CobParameters } from '../parameters/analytics-parameters.service';
import type { RfmBreakpoints } from '../profiles/rfm.rule';

export const RunStatus = { Running: 'running', Succeeded: 'succeeded', Failed: 'failed' } as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** A run's phases: every shard's indicators, then (all shards written) RFM and every shard's profiles, then every shard's publication. */
export const RunPhase = {
  Indicators: 'indicators',
  Profiles: 'profiles',
  Publishing: 'publishing',
  Done: 'done',
} as const;
export type RunPhase = (typeof RunPhase)[keyof typeof RunPhase];

export const ShardStage = {
  Pending: 'pending',
  Indicated: 'indicated',
  Profiled: 'profiled',
  Published: 'published',
} as const;
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
  profilesStartedAt: Date | null;
  publishingStartedAt: Date | null;
  /** Profiles computed from this instant on are the run's to publish (its own, and an unfinished earlier run's). */
  publishFrom: Date | null;
  finishedAt: Date | null;
}

export interface CobRunShard {
  shard: number;
  stage: ShardStage;
  customers: number | null;
  changed: number | null;
  published: number;
  indicatorsMs: number | null;
  profilesMs: number | null;
  publishingMs: number | null;
  /** The worker (host, process, instance) that wrote the shard's indicators; its profiles; its last events. */
  indicatedBy: string | null;
  profiledBy: string | null;
  publishedBy: string | null;
}

/** Where a shard's publication stands: its stage, and the last customer whose profile Kafka acknowledged. */
export interface ShardPublication {
  stage: ShardStage;
  publishedThrough: string | null;
}

export interface RunProgress {
  indicated: number;
  profiled: number;
  published: number;
  customers: number;
}

const RUN_COLUMNS = `run_id AS "runId", business_date::text AS "businessDate", shards, status, phase,
  requested_by AS "requestedBy", parameters, previous_business_date::text AS "previousBusinessDate",
  rfm_breakpoints AS "rfmBreakpoints", customers, changed, published, error, started_at AS "startedAt",
  profiles_started_at AS "profilesStartedAt", publishing_started_at AS "publishingStartedAt",
  publish_from AS "publishFrom", finished_at AS "finishedAt"`;

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

  /** Runs of business dates from `from` to `to`: latest date first, a date's latest run first. */
  async between(from: string, to: string): Promise<CobRun[]> {
    return this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM "${this.s}".cob_run WHERE business_date BETWEEN $1 AND $2
        ORDER BY business_date DESC, started_at DESC`,
      [from, to],
    );
  }

  async shardsOf(runId: string): Promise<CobRunShard[]> {
    return this.dataSource.query(
      `SELECT shard, stage, customers, changed, published, indicators_ms AS "indicatorsMs",
              profiles_ms AS "profilesMs", publishing_ms AS "publishingMs", indicated_by AS "indicatedBy",
              profiled_by AS "profiledBy", published_by AS "publishedBy"
         FROM "${this.s}".cob_run_shard WHERE run_id = $1 ORDER BY shard`,
      [runId],
    );
  }

  /** The run's shards at a stage: those a job of the run's phase still has to do. */
  async shardsAt(runId: string, stage: ShardStage): Promise<number[]> {
    const rows: { shard: number }[] = await this.dataSource.query(
      `SELECT shard FROM "${this.s}".cob_run_shard WHERE run_id = $1 AND stage = $2 ORDER BY shard`,
      [runId, stage],
    );
    return rows.map((r) => r.shard);
  }

  /** Of each run, shards past each stage and the customers written so far. */
  async progressOf(runIds: string[]): Promise<Map<string, RunProgress>> {
    const rows: (RunProgress & { runId: string })[] = await this.dataSource.query(
      `SELECT run_id AS "runId", count(*) FILTER (WHERE stage <> 'pending')::int AS indicated,
              count(*) FILTER (WHERE stage IN ('profiled', 'published'))::int AS profiled,
              count(*) FILTER (WHERE stage = 'published')::int AS published,
              coalesce(sum(customers), 0)::int AS customers
         FROM "${this.s}".cob_run_shard WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
      [runIds],
    );
    return new Map(rows.map(({ runId, ...progress }) => [runId, progress]));
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
    worker: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run_shard SET stage = 'indicated', customers = $3, indicators_ms = $4,
              indicated_by = $5
        WHERE run_id = $1 AND shard = $2`,
      [runId, shard, customers, ms, worker],
    );
  }

  async shardProfiled(
    tx: EntityManager,
    runId: string,
    shard: number,
    changed: number,
    ms: number,
    worker: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run_shard SET stage = 'profiled', changed = $3, profiles_ms = $4, profiled_by = $5
        WHERE run_id = $1 AND shard = $2`,
      [runId, shard, changed, ms, worker],
    );
  }

  /** Locks the shard's row for the caller's transaction (one publisher per shard); where its publication stands. */
  async lockPublication(tx: EntityManager, runId: string, shard: number): Promise<ShardPublication | null> {
    const rows: ShardPublication[] = await tx.query(
      `SELECT stage, published_through AS "publishedThrough" FROM "${this.s}".cob_run_shard
        WHERE run_id = $1 AND shard = $2 FOR UPDATE`,
      [runId, shard],
    );
    return rows[0] ?? null;
  }

  /** A batch of the shard's profiles acknowledged by Kafka: the cursor moves past it; `last`, the shard is published. */
  async shardPublishedBatch(
    tx: EntityManager,
    runId: string,
    shard: number,
    batch: { count: number; through: string | null; ms: number; last: boolean },
    worker: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run_shard SET published = published + $3, published_through = $4,
              publishing_ms = coalesce(publishing_ms, 0) + $5, published_by = $6,
              stage = CASE WHEN $7 THEN 'published' ELSE stage END
        WHERE run_id = $1 AND shard = $2`,
      [runId, shard, batch.count, batch.through, batch.ms, worker, batch.last],
    );
  }

  /**
   * Whether the run, still in `phase`, has no shard left at `stage`: the set is complete. Takes the run's
   * row lock for the caller's transaction, so of the shards finishing together exactly one (the last) sees
   * it complete and moves the run on (`enterProfiles`, `enterPublishing`) before the others look.
   */
  async completesPhase(
    tx: EntityManager,
    runId: string,
    phase: RunPhase,
    stage: ShardStage,
  ): Promise<boolean> {
    const [row]: { complete: boolean }[] = await tx.query(
      `SELECT r.status = 'running' AND r.phase = $2
              AND NOT EXISTS (SELECT 1 FROM "${this.s}".cob_run_shard WHERE run_id = $1 AND stage = $3) AS complete
         FROM "${this.s}".cob_run r WHERE r.run_id = $1 FOR UPDATE`,
      [runId, phase, stage],
    );
    return row?.complete ?? false;
  }

  /** Moves the run to its profiles, with the bank-wide RFM breakpoints they are scored by. */
  async enterProfiles(tx: EntityManager, runId: string, breakpoints: RfmBreakpoints): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run SET phase = 'profiles', rfm_breakpoints = $2, profiles_started_at = now(),
              heartbeat_at = now()
        WHERE run_id = $1`,
      [runId, JSON.stringify(breakpoints)],
    );
  }

  /**
   * Moves the run to its publication. It publishes the changed profiles computed from `publish_from` on: its
   * own, and those of the date's earlier runs since its last success that did not finish publishing (died or
   * failed), so none of theirs is left unpublished; what they had already sent goes again under the same
   * event ids, which consumers de-duplicate.
   */
  async enterPublishing(tx: EntityManager, runId: string): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run r SET phase = 'publishing', publishing_started_at = now(), heartbeat_at = now(),
              publish_from = (
                SELECT min(e.profiles_started_at) FROM "${this.s}".cob_run e
                 WHERE e.business_date = r.business_date AND e.status <> 'succeeded'
                   AND e.started_at > coalesce((SELECT max(d.started_at) FROM "${this.s}".cob_run d
                                                 WHERE d.business_date = r.business_date AND d.status = 'succeeded'),
                                               '-infinity'))
        WHERE run_id = $1`,
      [runId],
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

  /** Ends the run: every shard published (the caller checked, under the run's row lock). */
  async succeed(tx: EntityManager, runId: string): Promise<void> {
    await tx.query(
      `UPDATE "${this.s}".cob_run r SET status = 'succeeded', phase = 'done', finished_at = now(),
              customers = t.customers, changed = t.changed
         FROM (SELECT sum(customers)::int AS customers, sum(changed)::int AS changed
                 FROM "${this.s}".cob_run_shard WHERE run_id = $1) t
        WHERE r.run_id = $1 AND r.status = 'running'`,
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
