import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { type Kafka } from 'kafkajs';
import { Pool } from 'pg';
import {
  buildScenario,
  KafkaEventSink,
  populationEvents,
  SCENARIOS,
  type SimEvent,
} from '@crm/corebank-simulation';
import { deleteTopicsWithPrefix, serviceTestEnv, testKafka, testStack, uniqueSuffix } from '@crm/testing';
import { ServiceProcess } from '../lib/service-process';

/**
 * Fault drills for the alert service: the same deterministic stream goes once through a fault-free
 * reference instance and once through an instance that suffers a fault half-way; the stored alerts must
 * be the same set. Each instance is a real child process with its own schema, topics, consumer group and
 * Redis key prefix, so drills share the machine's Postgres, Redis and Kafka with anything else.
 */

export type FaultKind = 'kill' | 'redis' | 'postgres';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'redis', 'postgres'];

/** How Postgres is disrupted: a restart of the whole cluster, or only the drilled instance's connections. */
export type PostgresFaultMode = 'restart-cluster' | 'terminate-backends';

const ENTRY = 'apps/alert-service/src/main.ts';
const DAY_MS = 86_400_000;

export interface DrillStream {
  events: SimEvent[];
  /** Alerts the mixed-in scenarios declare, as alert keys; a reference run must store every one of them. */
  declared: string[];
  scenarioRuns: number;
  firstEventAt: Date;
  lastEventAt: Date;
}

export const alertKeyOf = (a: { kind: string; customerId: string; subjectRef: string; periodKey: string }) =>
  `${a.kind}|${a.customerId}|${a.subjectRef}|${a.periodKey}`;

/**
 * `size` events: the seeded bank's initial load and activity, with every scenario told again (a new seed
 * each time) after each `scenarioEvery` population events, so alerts of every kind fire throughout.
 * The simulated time starts `daysBack` days before today's midnight (UTC), so the stream lies in the past:
 * reminders are due by event time or already by the wall clock, the same for every run of the drill.
 */
export function buildDrillStream(options: {
  size: number;
  seed?: number;
  daysBack?: number;
  scenarioEvery?: number;
}): DrillStream {
  const seed = options.seed ?? 42;
  const scenarioEvery = options.scenarioEvery ?? 2_000;
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - (options.daysBack ?? 60) * DAY_MS;
  const customers = Math.max(100, Math.round(options.size / 50));
  const population = populationEvents({ seed, customers, start });
  const events: SimEvent[] = [];
  const declared: string[] = [];
  let scenarioRuns = 0;
  let sinceScenarios = 0;
  const feed = function* (): Generator<SimEvent> {
    yield* population.initialLoad;
    yield* population.stream;
  };
  for (const event of feed()) {
    if (events.length >= options.size) break;
    events.push(event);
    sinceScenarios += 1;
    if (sinceScenarios >= scenarioEvery) {
      sinceScenarios = 0;
      const at = Date.parse(event.time);
      for (const scenario of SCENARIOS) {
        const run = buildScenario(scenario.name, { seed: seed + scenarioRuns, start: at });
        events.push(...run.events);
        declared.push(...run.expectedAlerts.map(alertKeyOf));
      }
      scenarioRuns += 1;
    }
  }
  const times = events.map((e) => Date.parse(e.time));
  return {
    events,
    declared: declared.sort(),
    scenarioRuns,
    firstEventAt: new Date(Math.min(...times)),
    lastEventAt: new Date(Math.max(...times)),
  };
}

/** One alert-service instance of a drill: its isolation names, its child process and what it stored. */
export class DrillInstance {
  readonly schema: string;
  readonly topicPrefix: string;
  readonly redisPrefix: string;
  readonly groupId: string;
  private readonly service: ServiceProcess;
  private readonly db: Pool = new Pool({
    connectionString: testStack.databaseUrl,
    application_name: 'alert-fault-drill',
    max: 2,
  });

  constructor(
    readonly name: string,
    private readonly kafka: Kafka,
    suffix: string,
  ) {
    this.schema = `t_alert_fault_${suffix}_${name}`;
    this.topicPrefix = `test.alert-fault-${suffix}-${name}.`;
    this.redisPrefix = `test:alert-fault-${suffix}-${name}:`;
    this.groupId = `${this.topicPrefix}alert-service`;
    // Not production: that refuses the published test secrets.
    this.service = new ServiceProcess(name, ENTRY, () => ({
      ...serviceTestEnv(this),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    }));
    // An idle connection cut by a Postgres restart must not crash the drill; the next query reconnects.
    this.db.on('error', () => undefined);
  }

  /** Publishes the stream to this instance's own topics; returns the topics written. */
  async publish(events: SimEvent[], batchSize = 2_000): Promise<string[]> {
    const sink = new KafkaEventSink({
      brokers: testStack.kafkaBrokers,
      topicPrefix: this.topicPrefix,
      clientId: `alert-fault-${this.name}`,
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
      return (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix) && !t.endsWith('.dlq'));
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

  async alertKeys(): Promise<string[]> {
    const rows = await this.sql<{ key: string }>(
      `SELECT kind || '|' || customer_id || '|' || subject_ref || '|' || period_key AS key FROM "${this.schema}".alert`,
    );
    return rows.map((r) => r.key).sort();
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

  /** Consumer-group lag 0 and no new processed event or alert for `quietMs`. */
  async caughtUp(
    topics: string[],
    options: { timeoutMs: number; quietMs?: number; onPoll?: (s: string) => void },
  ) {
    const quietMs = options.quietMs ?? 3_000;
    const deadline = Date.now() + options.timeoutMs;
    let last = '';
    let since = Date.now();
    let lastLog = 0;
    for (;;) {
      if (!this.running) throw new Error(`${this.name}: alert-service died:\n${this.outputTail}`);
      const [lag, processed, alerts] = await Promise.all([
        this.lag(topics),
        this.processedCount(),
        this.hasTables().then((ok) => (ok ? this.alertCount() : 0)),
      ]);
      const state = `${processed}/${alerts}`;
      if (state !== last || lag > 0) {
        last = state;
        since = Date.now();
      }
      if (Date.now() - lastLog >= 5_000) {
        lastLog = Date.now();
        options.onPoll?.(`lag ${lag}, processed ${processed}, alerts ${alerts}`);
      }
      if (lag === 0 && Date.now() - since >= quietMs) return;
      if (Date.now() > deadline) throw new Error(`${this.name}: not caught up in time (lag ${lag})`);
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

  private async alertCount(): Promise<number> {
    const [{ n }] = await this.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${this.schema}".alert`);
    return n;
  }

  private async hasTables(): Promise<boolean> {
    const [{ ok }] = await this.sql<{ ok: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok`,
      [`"${this.schema}".processed_event`, `"${this.schema}".alert`],
    );
    return ok;
  }

  /** Retries through a Postgres restart: the pool drops the cut connections and opens new ones. */
  private async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
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
  expected: number;
  stored: number;
  missing: string[];
  extra: string[];
  duplicates: number;
  seconds: number;
  detail: string;
}

export interface DrillOptions {
  stream: DrillStream;
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
 * Runs the fault-free reference and each fault drill, and compares every drilled instance's alerts with
 * the reference's. Sequential by default (a cluster restart must not hit the reference); `concurrent`
 * runs them side by side, for faults confined to their own instance (kill, Redis keys, own backends).
 */
export async function runDrills(
  options: DrillOptions,
): Promise<{ reference: DrillResult; drills: DrillResult[] }> {
  if (options.concurrent && options.postgresMode === 'restart-cluster' && options.faults.includes('postgres'))
    throw new Error('a cluster restart would hit the reference too: run it sequentially');
  const log = options.log ?? (() => undefined);
  const kafka = testKafka('alert-fault-drill');
  const suffix = uniqueSuffix();
  const reference = new DrillInstance('ref', kafka, suffix);
  const drilled = options.faults.map((fault) => ({
    fault,
    instance: new DrillInstance(fault, kafka, suffix),
  }));
  const instances = [reference, ...drilled.map((d) => d.instance)];
  try {
    // Publishing one after the other: concurrent topic creation races the broker's metadata.
    const topics = new Map<DrillInstance, string[]>();
    const publish = async (instance: DrillInstance) => {
      log(`${instance.name}: publishing ${options.stream.events.length} events to ${instance.topicPrefix}*`);
      return instance.publish(options.stream.events);
    };
    for (const instance of options.concurrent ? instances : []) topics.set(instance, await publish(instance));
    const run = async (instance: DrillInstance, fault?: FaultKind) =>
      drillOnce(instance, topics.get(instance) ?? (await publish(instance)), fault, options, log);
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
    const expected = ref.alerts;
    const declaredMissing = difference(options.stream.declared, expected);
    return {
      reference: {
        name: 'reference',
        fault: 'none',
        expected: options.stream.declared.length,
        stored: expected.length,
        missing: declaredMissing,
        extra: [],
        duplicates: expected.length - new Set(expected).size,
        seconds: ref.seconds,
        detail: `stores all ${options.stream.declared.length} scenario-declared alerts: ${declaredMissing.length === 0}`,
      },
      drills: runs.map((r, i) => ({
        name: drilled[i].fault,
        fault: describeFault(drilled[i].fault, options.postgresMode),
        expected: expected.length,
        stored: r.alerts.length,
        missing: difference(expected, r.alerts),
        extra: difference(r.alerts, expected),
        duplicates: r.alerts.length - new Set(r.alerts).size,
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
  alerts: string[];
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
  const total = options.stream.events.length;
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  await instance.start();
  let detail = 'no fault';
  if (fault) {
    const strikeAt = Math.floor(total * (options.at ?? 0.5));
    await waitFor(
      () => instance.processedCount(),
      (n) => n >= strikeAt,
      timeoutMs,
      () => instance.running,
    );
    const processedAtFault = await instance.processedCount();
    detail = `at ${processedAtFault}/${total} events: ${await strike(instance, fault, options.postgresMode, log)}`;
    log(`${instance.name}: fault struck ${detail}`);
  }
  await instance.caughtUp(topics, { timeoutMs, onPoll: (s) => log(`${instance.name}: ${s}`) });
  const alerts = await instance.alertKeys();
  await instance.stop();
  if (instance.startRetries > 0)
    detail += `; ${instance.startRetries} failed start(s) retried (topic metadata race)`;
  const seconds = (Date.now() - started) / 1000;
  log(`${instance.name}: ${alerts.length} alerts stored, ${seconds.toFixed(0)} s`);
  return { alerts, seconds, detail };
}

async function strike(
  instance: DrillInstance,
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
  if (fault === 'redis') return "wipe the service's Redis keys";
  return postgresMode === 'restart-cluster'
    ? 'restart Postgres (pg_ctlcluster)'
    : 'terminate its Postgres backends';
}

async function restartPostgresCluster(): Promise<string> {
  const version = readdirSync('/etc/postgresql')[0];
  await new Promise<void>((done, fail) => {
    const child = spawn('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], {
      stdio: 'inherit',
    });
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`pg_ctlcluster exited ${code}`))));
  });
  return `${version}/main`;
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

const difference = (a: string[], b: string[]): string[] => {
  const inB = new Set(b);
  return [...new Set(a)].filter((x) => !inB.has(x));
};

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  alive: () => boolean,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (!alive()) throw new Error('alert-service died before the fault');
    if (Date.now() > deadline) throw new Error('timed out before the fault');
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
