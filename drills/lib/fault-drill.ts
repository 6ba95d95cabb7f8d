import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { type Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { KafkaEventSink, type SimEvent } from '@crm/corebank-simulation';
import {
  databaseUrlNamed,
  deleteTopicsWithPrefix,
  serviceTestEnv,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';
import { ServiceProcess } from './service-process';

/**
 * Fault drills for a consuming service: the same deterministic stream goes once through a fault-free
 * reference instance and once through an instance that suffers a fault half-way; what each stored (the
 * service's `outcome`) must be the same. Each instance is a real child process with its own schema,
 * topics, consumer group and Redis key prefix, so drills share the machine's Postgres, Redis and Kafka
 * with anything else.
 */

export type FaultKind = 'kill' | 'redis' | 'postgres' | 'broker';
/** The faults of a drill of every fault: a broker kill needs the three-broker cluster, so it is asked for alone. */
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'redis', 'postgres'];

/** How long a killed broker stays down: past the cluster's session timeout, so its partitions move. */
export const BROKER_DOWN_SECONDS = 20;
const KAFKA_SCRIPT = join(__dirname, '..', '..', 'deploy', 'local', 'kafka', 'kafka.sh');

/** How Postgres is disrupted: a restart of the whole cluster, or only the drilled instance's connections. */
export type PostgresFaultMode = 'restart-cluster' | 'terminate-backends';

/** An instance's own schema, to read what it stored. */
export interface DrillDatabase {
  schema: string;
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/** What a drill needs to know of the service it drills. */
export interface DrilledService {
  /** Short, for schema, topic and Redis names: `alert`, `customer`. */
  name: string;
  entry: string;
  /** What the service stored that a fault must neither lose nor double: one string per item, any order. */
  outcome(db: DrillDatabase): Promise<string[]>;
  /** The topics it consumes (contract names), when not all the stream's: its lag is counted on these. */
  consumes?: string[];
  /** Tables a run of the stream must fill: a drill whose stream never reached them proves nothing. */
  filled?: string[];
  /** Besides processed events, a count that keeps moving after the stream is consumed (timers, jobs). */
  settling?(db: DrillDatabase): Promise<number>;
  /** Work it still owes once the stream is consumed (contacts due, not yet made): caught up only at 0. */
  pending?(db: DrillDatabase): Promise<number>;
  /** Its settings for the drill (shorter timers), over the test environment. */
  env?: Record<string, string>;
  /** Its stream of `size` events, when not the seeded bank's first ones (bankEvents); `about` for the report. */
  stream?(options: { size: number; seed: number }): { events: SimEvent[]; about: string };
  /**
   * What must be in place before the stream flows (campaigns launched over REST): run on each instance once
   * it is first live and before its stream is published; the fault-free and the faulted runs both get it.
   */
  prepare?(instance: DrillInstance, events: readonly SimEvent[]): Promise<void>;
}

/** Tables a service keeps for the platform (events applied, outbox, audit), not its outcome. */
const PLATFORM_TABLES = ['processed_event', 'outbox', 'audit_log', 'pii_key_fingerprint', 'migrations'];

/**
 * Every row of the service's own tables as canonical JSON, less what no two runs repeat: columns defaulting
 * to the clock, a sequence or a random uuid, encrypted ones (a random IV each time; their blind-index hashes
 * stay), and the `volatile` ones: `column`, or `column.key` for a key of a JSON column. Tables in `except`
 * are left out (a log of changes in the order they were applied, which across topics is not fixed).
 */
export const tableRows =
  ({ volatile = [], except = [] }: { volatile?: string[]; except?: string[] } = {}) =>
  async (db: DrillDatabase): Promise<string[]> => {
    const tables = await db.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND NOT (table_name = ANY ($2))`,
      [db.schema, [...PLATFORM_TABLES, ...except]],
    );
    const columns = volatile.filter((v) => !v.includes('.'));
    const keys = volatile.filter((v) => v.includes('.')).map((v) => `{${v.replace('.', ',')}}`);
    const rows: string[] = [];
    for (const { table_name: table } of tables) {
      const skipped = await db.sql<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2
            AND (column_default ~ '(now|clock_timestamp|gen_random_uuid|nextval)\\(' OR column_name LIKE '%\\_enc'
                 OR column_name = ANY ($3))`,
        [db.schema, table, columns],
      );
      const row = keys.reduce(
        (expression, _, i) => `(${expression} #- $${i + 2}::text[])`,
        `(to_jsonb(t) - $1::text[])`,
      );
      const values = await db.sql<{ row: string }>(
        `SELECT ${row}::text AS row FROM "${db.schema}"."${table}" t`,
        [skipped.map((c) => c.column_name), ...keys],
      );
      rows.push(...values.map((v) => `${table} ${v.row}`));
    }
    return rows.sort();
  };

/** One instance of a drilled service: its isolation names, its child process and what it stored. */
export class DrillInstance implements DrillDatabase {
  readonly schema: string;
  readonly topicPrefix: string;
  readonly redisPrefix: string;
  readonly groupId: string;
  private readonly service: ServiceProcess;
  private readonly db: Pool = new Pool({
    connectionString: testStack.databaseUrl,
    application_name: 'fault-drill',
    max: 2,
  });

  constructor(
    readonly name: string,
    private readonly drilled: DrilledService,
    private readonly kafka: Kafka,
    suffix: string,
  ) {
    const s = drilled.name;
    this.schema = `t_${s}_fault_${suffix}_${name}`;
    this.topicPrefix = `test.${s}-fault-${suffix}-${name}.`;
    this.redisPrefix = `test:${s}-fault-${suffix}-${name}:`;
    this.groupId = `${this.topicPrefix}${s}-service`;
    // Not production: that refuses the published test secrets.
    this.service = new ServiceProcess(name, drilled.entry, () => ({
      ...serviceTestEnv(this),
      // Its connections named after its schema, which terminateBackends looks for: a service names its own
      // after itself, alike in every instance, and a name in the URL wins over it.
      DATABASE_URL: databaseUrlNamed(this.schema),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...drilled.env,
    }));
    // An idle connection cut by a Postgres restart must not crash the drill; the next query reconnects.
    this.db.on('error', () => undefined);
  }

  /** Publishes the stream to this instance's own topics; returns those of them the service consumes. */
  async publish(events: SimEvent[], batchSize = 2_000): Promise<string[]> {
    const sink = new KafkaEventSink({
      brokers: testStack.kafkaBrokers,
      topicPrefix: this.topicPrefix,
      clientId: `${this.drilled.name}-fault-${this.name}`,
    });
    try {
      for (let at = 0; at < events.length; at += batchSize)
        await sink.publish(events.slice(at, at + batchSize));
    } finally {
      await sink.close();
    }
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const consumed = this.drilled.consumes?.map((topic) => `${this.topicPrefix}${topic}`);
      return (await admin.listTopics()).filter(
        (t) => t.startsWith(this.topicPrefix) && !t.endsWith('.dlq') && (!consumed || consumed.includes(t)),
      );
    } finally {
      await admin.disconnect();
    }
  }

  async start(): Promise<void> {
    await this.service.start();
  }

  get startRetries(): number {
    return this.service.startRetries;
  }

  get running(): boolean {
    return this.service.running;
  }

  /** Its HTTP API, while it runs. */
  get baseUrl(): string {
    return this.service.baseUrl;
  }

  /** The output of the last instance, to explain a failure. */
  get outputTail(): string {
    return this.service.outputTail;
  }

  async kill9(): Promise<void> {
    await this.service.kill9();
  }

  async stop(): Promise<void> {
    await this.service.stop();
  }

  /** Deletes this instance's Redis keys only (windows, reminder marks, BullMQ queue); Redis is shared. */
  async wipeRedis(): Promise<number> {
    const redis = new Redis(testStack.redisUrl);
    try {
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 1_000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.del(...keys);
      } while (cursor !== '0');
      return deleted;
    } finally {
      redis.disconnect();
    }
  }

  /**
   * Cuts the instance's Postgres connections (pool and outbox listener) as a restart would, three times
   * half a second apart so that connections opened in between are cut as well; returns how many.
   */
  async terminateBackends(): Promise<number> {
    let terminated = 0;
    for (let round = 0; round < 3; round += 1) {
      if (round > 0) await sleep(500);
      const rows = await this.sql<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE application_name LIKE $1 AND pid <> pg_backend_pid()`,
        [`${this.schema}%`],
      );
      terminated += rows[0]?.n ?? 0;
    }
    return terminated;
  }

  async processedCount(): Promise<number> {
    if (!(await this.hasTables())) return 0;
    const [{ n }] = await this.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${this.schema}".processed_event`,
    );
    return n;
  }

  async outcome(): Promise<string[]> {
    return this.drilled.outcome(this);
  }

  /** Events of the published topics not yet committed by the instance's consumer group. */
  async lag(topics: string[]): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics });
      let lag = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const at = Number(done.find((p) => p.partition === end.partition)?.offset ?? -1);
          lag += Number(end.high) - Math.max(at, Number(end.low));
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }

  /** The broker leading most partitions of the topics: killing it moves the most of the instance's work. */
  async busiestBroker(topics: string[]): Promise<{ node: number; leads: number; partitions: number }> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaders = metadata.flatMap((t) => t.partitions.map((p) => p.leader));
      const counts = new Map<number, number>();
      for (const leader of leaders) counts.set(leader, (counts.get(leader) ?? 0) + 1);
      const [node, leads] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      return { node, leads, partitions: leaders.length };
    } finally {
      await admin.disconnect();
    }
  }

  /** Consumer-group lag 0 and no new processed event (nor settling count) for `quietMs`. */
  async caughtUp(
    topics: string[],
    options: { timeoutMs: number; quietMs?: number; onPoll?: (s: string) => void },
  ) {
    const quietMs = options.quietMs ?? 3_000;
    const deadline = Date.now() + options.timeoutMs;
    let last = '';
    let since = Date.now();
    let lastLog = 0;
    let lagError: unknown;
    for (;;) {
      if (!this.running)
        throw new Error(`${this.name}: ${this.drilled.name}-service died:\n${this.outputTail}`);
      const [lag, processed, settling, pending] = await Promise.all([
        // While a broker is down its groups' coordinators move, and Kafka answers "coordinator loading" or
        // "not the coordinator" for a while: not caught up yet, ask again (the deadline still holds).
        this.lag(topics).catch((error: unknown) => {
          lagError = error;
          return Infinity;
        }),
        this.processedCount(),
        this.hasTables().then((ok) => (ok && this.drilled.settling ? this.drilled.settling(this) : 0)),
        this.hasTables().then((ok) => (ok && this.drilled.pending ? this.drilled.pending(this) : 0)),
      ]);
      const state = `${processed}/${settling}`;
      if (state !== last || lag > 0) {
        last = state;
        since = Date.now();
      }
      if (Date.now() - lastLog >= 5_000) {
        lastLog = Date.now();
        options.onPoll?.(
          `lag ${lag}, processed ${processed}${this.drilled.settling ? `, settling ${settling}` : ''}` +
            (this.drilled.pending ? `, pending ${pending}` : ''),
        );
      }
      if (lag === 0 && pending === 0 && Date.now() - since >= quietMs) return;
      if (Date.now() > deadline)
        throw new Error(
          `${this.name}: not caught up in time (lag ${lag}, pending ${pending}${lagError ? `; last failure to read it: ${String(lagError)}` : ''})`,
        );
      await sleep(500);
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.wipeRedis();
    await this.sql(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await this.db.end();
    await deleteTopicsWithPrefix(this.kafka, this.topicPrefix);
  }

  /** Whether its migrations have run (the platform tables, processed_event among them, come first). */
  private async hasTables(): Promise<boolean> {
    const [{ ok }] = await this.sql<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [
      `"${this.schema}".processed_event`,
    ]);
    return ok;
  }

  /** Retries through a Postgres restart: the pool drops the cut connections and opens new ones. */
  async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return (await this.db.query(text, params)).rows as T[];
      } catch (error) {
        if (attempt >= 30) throw error;
        await sleep(1_000);
      }
    }
  }
}

export interface DrillResult {
  name: string;
  fault: string;
  /** Items of the reference's outcome (for the reference itself: of its own). */
  expected: number;
  stored: number;
  missing: string[];
  extra: string[];
  duplicates: number;
  seconds: number;
  detail: string;
}

export interface DrillOptions {
  service: DrilledService;
  events: SimEvent[];
  faults: FaultKind[];
  postgresMode: PostgresFaultMode;
  /** Fraction of the stream processed when the fault strikes. */
  at?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
  keep?: boolean;
  concurrent?: boolean;
}

/**
 * Runs the fault-free reference and each fault drill, and compares every drilled instance's outcome with
 * the reference's. Sequential by default (a cluster restart must not hit the reference); `concurrent`
 * runs them side by side, for faults confined to their own instance (kill, Redis keys, own backends).
 */
export async function runDrills(
  options: DrillOptions,
): Promise<{ reference: DrillResult & { outcome: string[] }; drills: DrillResult[] }> {
  if (options.concurrent && options.postgresMode === 'restart-cluster' && options.faults.includes('postgres'))
    throw new Error('a cluster restart would hit the reference too: run it sequentially');
  const log = options.log ?? (() => undefined);
  const kafka = testKafka(`${options.service.name}-fault-drill`);
  const suffix = uniqueSuffix();
  const reference = new DrillInstance('ref', options.service, kafka, suffix);
  const drilled = options.faults.map((fault) => ({
    fault,
    instance: new DrillInstance(fault, options.service, kafka, suffix),
  }));
  const instances = [reference, ...drilled.map((d) => d.instance)];
  try {
    // Publishing one after the other: concurrent topic creation races the broker's metadata.
    const topics = new Map<DrillInstance, string[]>();
    const publish = async (instance: DrillInstance) => {
      log(`${instance.name}: publishing ${options.events.length} events to ${instance.topicPrefix}*`);
      return instance.publish(options.events);
    };
    // A service with set-up is started (creating its topics) and prepared before its stream is published.
    const { prepare } = options.service;
    const setUp = async (instance: DrillInstance) => {
      if (!prepare) return;
      await instance.start();
      log(`${instance.name}: preparing`);
      await prepare(instance, options.events);
    };
    if (options.concurrent) await Promise.all(instances.map(setUp));
    for (const instance of options.concurrent ? instances : []) topics.set(instance, await publish(instance));
    const run = async (instance: DrillInstance, fault?: FaultKind) => {
      if (!topics.has(instance)) {
        await setUp(instance);
        topics.set(instance, await publish(instance));
      }
      return drillOnce(instance, topics.get(instance)!, fault, options, log);
    };
    let referenceRun: Promise<DrillRun>;
    let faultRuns: Promise<DrillRun[]>;
    if (options.concurrent) {
      referenceRun = run(reference);
      faultRuns = Promise.all(drilled.map((d) => run(d.instance, d.fault)));
    } else {
      referenceRun = run(reference);
      await referenceRun;
      faultRuns = drilled.reduce<Promise<DrillRun[]>>(
        async (done, d) => [...(await done), await run(d.instance, d.fault)],
        Promise.resolve([]),
      );
    }
    const [ref, runs] = await Promise.all([referenceRun, faultRuns]);
    const expected = ref.outcome;
    return {
      reference: {
        name: 'reference',
        fault: 'none',
        expected: expected.length,
        stored: expected.length,
        missing: [],
        extra: [],
        duplicates: expected.length - new Set(expected).size,
        seconds: ref.seconds,
        detail: ref.detail,
        outcome: expected,
      },
      drills: runs.map((r, i) => ({
        name: drilled[i].fault,
        fault: describeFault(drilled[i].fault, options.postgresMode),
        expected: expected.length,
        stored: r.outcome.length,
        missing: difference(expected, r.outcome),
        extra: difference(r.outcome, expected),
        duplicates: r.outcome.length - new Set(r.outcome).size,
        seconds: r.seconds,
        detail: r.detail,
      })),
    };
  } catch (error) {
    for (const instance of instances)
      if (instance.outputTail) log(`${instance.name} output:\n${instance.outputTail}`);
    throw error;
  } finally {
    for (const instance of instances) {
      if (options.keep) await instance.stop();
      else await instance.destroy().catch((e: unknown) => log(`cleanup ${instance.name}: ${String(e)}`));
    }
  }
}

interface DrillRun {
  outcome: string[];
  seconds: number;
  detail: string;
}

/** Runs the instance on its published stream, strikes half-way (unless it is the reference), waits, reads. */
async function drillOnce(
  instance: DrillInstance,
  topics: string[],
  fault: FaultKind | undefined,
  options: DrillOptions,
  log: (line: string) => void,
): Promise<DrillRun> {
  const started = Date.now();
  const total = options.events.length;
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  // A prepared instance is running already.
  if (!options.service.prepare) await instance.start();
  let detail = 'no fault';
  if (fault) {
    const strikeAt = Math.floor(total * (options.at ?? 0.5));
    await waitFor(
      () => instance.processedCount(),
      (n) => n >= strikeAt,
      timeoutMs,
      () => instance.running,
      () => instance.outputTail,
    );
    const processedAtFault = await instance.processedCount();
    detail = `at ${processedAtFault}/${total} events: ${await strike(instance, topics, fault, options.postgresMode, log)}`;
    log(`${instance.name}: fault struck ${detail}`);
  }
  await instance.caughtUp(topics, { timeoutMs, onPoll: (s) => log(`${instance.name}: ${s}`) });
  const outcome = await instance.outcome();
  await instance.stop();
  if (instance.startRetries > 0)
    detail += `; ${instance.startRetries} failed start(s) retried (topic metadata race)`;
  const seconds = (Date.now() - started) / 1000;
  log(`${instance.name}: ${outcome.length} items stored, ${seconds.toFixed(0)} s`);
  return { outcome, seconds, detail };
}

async function strike(
  instance: DrillInstance,
  topics: string[],
  fault: FaultKind,
  postgresMode: PostgresFaultMode,
  log: (line: string) => void,
): Promise<string> {
  switch (fault) {
    case 'kill': {
      await instance.kill9();
      log('kill: SIGKILL sent, restarting');
      await instance.start();
      return 'SIGKILL, then a new process';
    }
    case 'redis':
      return `${await instance.wipeRedis()} keys under ${instance.redisPrefix} deleted`;
    case 'broker': {
      const { node, leads, partitions } = await instance.busiestBroker(topics);
      await kafkaCluster('kill9', String(node));
      log(`broker: node ${node} killed with SIGKILL, restarting it in ${BROKER_DOWN_SECONDS} s`);
      await sleep(BROKER_DOWN_SECONDS * 1000);
      await kafkaCluster('start');
      await kafkaCluster('wait');
      return (
        `broker ${node} (leader of ${leads} of the ${partitions} partitions consumed) killed with SIGKILL, ` +
        `restarted ${BROKER_DOWN_SECONDS} s later`
      );
    }
    case 'postgres':
      if (postgresMode === 'restart-cluster') {
        const cluster = await restartPostgresCluster();
        return `cluster ${cluster} restarted`;
      }
      return `${await instance.terminateBackends()} backends of ${instance.schema}* terminated`;
  }
}

function describeFault(fault: FaultKind, postgresMode: PostgresFaultMode): string {
  if (fault === 'kill') return 'kill -9 and restart';
  if (fault === 'broker') return 'kill -9 a Kafka broker, restart it';
  if (fault === 'redis') return "wipe the service's Redis keys";
  return postgresMode === 'restart-cluster'
    ? 'restart Postgres (pg_ctlcluster)'
    : 'terminate its Postgres backends';
}

/** The local three-broker cluster's script (`npm run stack -- up --brokers 3` started it). */
const kafkaCluster = (...args: string[]): Promise<void> =>
  runCommand('bash', [KAFKA_SCRIPT, ...args], { KAFKA_NODES: '3' });

/** A broker kill proves something only on a cluster that can lose one. */
export function assertKafkaCluster(): void {
  if (testStack.kafkaBrokers.length < 3)
    throw new Error(
      'a broker kill needs the three-broker cluster: npm run stack -- up --brokers 3, then run with ' +
        'KAFKA_BROKERS=127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096',
    );
}

async function restartPostgresCluster(): Promise<string> {
  const version = readdirSync('/etc/postgresql')[0];
  await runCommand('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
  return `${version}/main`;
}

/** Runs a command to its end, its errors shown; fails unless it exits 0. */
async function runCommand(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  await new Promise<void>((done, fail) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/**
 * A cluster restart is allowed only as root, with the local cluster under pg_ctlcluster, and while no
 * test run (jest) is using the machine's Postgres.
 */
export function canRestartPostgres(): boolean {
  try {
    if (process.getuid?.() !== 0 || readdirSync('/etc/postgresql').length !== 1) return false;
    return !readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
      .some((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('jest');
        } catch {
          return false;
        }
      });
  } catch {
    return false;
  }
}

/** The items of `a` not in `b`, once each. */
export const difference = (a: string[], b: string[]): string[] => {
  const inB = new Set(b);
  return [...new Set(a)].filter((x) => !inB.has(x));
};

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  alive: () => boolean,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (!alive()) throw new Error(`the service died before the fault; its last output:\n${output()}`);
    if (Date.now() > deadline) throw new Error('timed out before the fault');
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
