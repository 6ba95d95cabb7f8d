import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { buildDrillStream, runAlertDrills } from './alert-service/alert-drill';
import { ANALYTICS_DRILL } from './analytics-service/analytics-drill';
import { ASSIGNMENT_DRILL } from './assignment-service/assignment-drill';
import { CAMPAIGN_DRILL } from './campaign-service/campaign-drill';
import { CUSTOMER_DRILL } from './customer-service/customer-drill';
import { bankEvents } from '@crm/corebank-simulation';
import { testStack } from '@crm/testing';
import {
  assertKafkaCluster,
  BROKER_DOWN_SECONDS,
  canRestartPostgres,
  FAULT_KINDS,
  runDrills,
  type DrillResult,
  type FaultKind,
  type PostgresFaultMode,
} from './lib/fault-drill';

/**
 * Services a drill can be run on, and the faults of `--fault all` for each (Redis only where it keeps
 * state). `--fault broker` (a Kafka broker killed) applies to every one, on the three-broker cluster.
 */
const SERVICES = {
  alert: [...FAULT_KINDS],
  customer: ['kill', 'postgres'],
  assignment: ['kill', 'postgres'],
  analytics: ['kill', 'postgres'],
  campaign: [...FAULT_KINDS],
} as const satisfies Record<string, readonly FaultKind[]>;
type ServiceName = keyof typeof SERVICES;

const REPORT_DIR = join(__dirname, '..', 'docs', 'drills');

/**
 * Fault drills on the real stack (a script, not a test):
 *   node -r ./tools/register.js drills/run-fault-drill.ts --service customer --events 50000 --fault all --write
 *   KAFKA_BROKERS=127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096 \
 *     node -r ./tools/register.js drills/run-fault-drill.ts --service all --events 100000 --fault broker --write
 * Services: alert, customer, assignment, analytics, campaign (SERVICES).
 * Postgres: `--postgres restart` restarts the local cluster (root only, nothing else may be running);
 * the default `auto` restarts it when allowed and otherwise terminates the drilled instance's backends.
 * A broker kill needs the cluster of `npm run stack -- up --brokers 3`. `--service all` (or a list, e.g.
 * `alert,customer`) drills each service in turn. `--write` writes docs/drills/<service>-faults.md (a broker kill: docs/drills/broker-kill.md). Exit
 * code 1 when any drilled instance's outcome differs from the fault-free reference's.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      service: { type: 'string', default: 'alert' },
      events: { type: 'string', default: '50000' },
      fault: { type: 'string', default: 'all' },
      postgres: { type: 'string', default: 'auto' },
      seed: { type: 'string', default: '42' },
      keep: { type: 'boolean', default: false },
      concurrent: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const services = (
    values.service === 'all' ? Object.keys(SERVICES) : values.service.split(',')
  ) as ServiceName[];
  const unknown = services.filter((name) => !(name in SERVICES));
  if (unknown.length > 0)
    throw new Error(
      `--service must be all or a list of ${Object.keys(SERVICES).join(', ')}, not ${unknown.join(', ')}`,
    );
  const brokerKill = values.fault === 'broker';
  if (brokerKill) assertKafkaCluster();
  // Side by side, a cluster restart would hit the reference too: auto then cuts only the drilled backends.
  const postgresMode = parsePostgresMode(values.postgres, values.concurrent);
  const size = Number(values.events);
  if (!Number.isInteger(size) || size < 1_000)
    throw new Error('--events must be an integer of at least 1000');

  const started = Date.now();
  const sections: { service: ServiceName; stream: string; lines: string[]; pass: boolean }[] = [];
  for (const service of services) {
    const applicable: readonly FaultKind[] = SERVICES[service];
    const faults: FaultKind[] = brokerKill
      ? ['broker']
      : values.fault === 'all'
        ? [...applicable]
        : values.fault.split(',').map((f) => parseFault(f, applicable));
    if (faults.includes('postgres')) log(`postgres fault: ${postgresMode}`);
    const common = { faults, postgresMode, log, keep: values.keep, concurrent: values.concurrent };
    let stream: string;
    let result: { reference: DrillResult; drills: DrillResult[] };
    if (service === 'alert') {
      const built = buildDrillStream({ size, seed: Number(values.seed) });
      stream =
        `${built.events.length} events (seed ${values.seed}, ${built.scenarioRuns} rounds of every scenario, ` +
        `${built.declared.length} declared scenario alerts), simulated ${built.firstEventAt.toISOString()} .. ${built.lastEventAt.toISOString()}`;
      log(`${service}: stream: ${stream}`);
      result = await runAlertDrills(built, common);
    } else {
      const drilled = {
        customer: CUSTOMER_DRILL,
        assignment: ASSIGNMENT_DRILL,
        analytics: ANALYTICS_DRILL,
        campaign: CAMPAIGN_DRILL,
      }[service];
      const own = drilled.stream?.({ size, seed: Number(values.seed) });
      const events = own?.events ?? bankEvents({ size, seed: Number(values.seed) });
      stream =
        own?.about ??
        `${events.length} events of the seeded bank (seed ${values.seed}): its initial load, then its activity`;
      log(`${service}: stream: ${stream}`);
      result = await runDrills({ ...common, service: drilled, events });
    }
    const { reference, drills } = result;
    const failed = drills.filter(failedDrill);
    const referenceBad = reference.missing.length > 0 || reference.duplicates > 0;
    const lines = [table([reference, ...drills])];
    for (const drill of [reference, ...failed]) {
      if (drill.missing.length)
        lines.push(`${drill.name} missing (first 10): ${drill.missing.slice(0, 10).join(', ')}`);
      if (drill.extra.length)
        lines.push(`${drill.name} extra (first 10): ${drill.extra.slice(0, 10).join(', ')}`);
    }
    const pass = failed.length === 0 && !referenceBad;
    lines.push(`${pass ? 'PASS' : 'FAIL'}`);
    if (services.length > 1) print(`${service}-service`);
    lines.forEach(print);
    sections.push({ service, stream, lines, pass });
  }
  const pass = sections.every((section) => section.pass);
  print(`${pass ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (values.write) {
    const path = join(REPORT_DIR, brokerKill ? 'broker-kill.md' : `${services.join('-')}-faults.md`);
    const markdown = report(brokerKill, process.argv.slice(2).join(' '), sections);
    // As the repository's format check wants it.
    await writeFile(path, await format(markdown, { ...(await resolveConfig(path)), filepath: path }));
    log(`wrote ${path}`);
  }
  return pass ? 0 : 1;
}

function report(
  brokerKill: boolean,
  args: string,
  sections: { service: ServiceName; stream: string; lines: string[] }[],
): string {
  const kafkaBrokers = brokerKill ? `KAFKA_BROKERS=${testStack.kafkaBrokers.join(',')} ` : '';
  const about = brokerKill
    ? [
        `The same stream goes through a fault-free reference instance and through a drilled one, each a real child`,
        `process with its own schema, topics and consumer group, on the three-broker Kafka cluster of`,
        `\`npm run stack -- up --brokers 3\` (topics replicated three times, two in sync for a write, producers`,
        `idempotent with acks=all). When half the stream is applied, the broker leading most of the drilled`,
        `instance's partitions is killed with SIGKILL and restarted ${BROKER_DOWN_SECONDS} s later. Each drilled`,
        `instance's outcome (see drills/<service>-service) must equal the reference's: nothing missing, nothing`,
        `extra, nothing doubled.`,
      ]
    : [
        `The same stream goes through a fault-free reference instance and through one instance per fault, each a real`,
        `child process with its own schema, topics and consumer group on the machine's Postgres, Redis and Kafka; the fault`,
        `strikes when half the stream is applied. Each drilled instance's outcome (see drills/<service>-service) must`,
        `equal the reference's: nothing missing, nothing extra, nothing doubled.`,
      ];
  const title = brokerKill
    ? 'Fault drill: a Kafka broker killed'
    : `Fault drill: ${sections.map((s) => `${s.service}-service`).join(', ')}`;
  return [
    `# ${title}`,
    '',
    `Generated by drills/run-fault-drill.ts on ${new Date().toISOString()}; do not edit by hand, run the command again.`,
    '',
    '```bash',
    `${kafkaBrokers}node -r ./tools/register.js drills/run-fault-drill.ts ${args}`,
    '```',
    '',
    ...about,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared.`,
    '',
    ...sections.flatMap((section) => [
      ...(sections.length > 1 ? [`## ${section.service}-service`, ''] : []),
      `Stream: ${section.stream}.`,
      '',
      section.lines[0],
      '',
      section.lines.slice(1).join('\n\n'),
      '',
    ]),
  ].join('\n');
}

const failedDrill = (d: DrillResult): boolean =>
  d.missing.length > 0 || d.extra.length > 0 || d.duplicates > 0;

function table(rows: DrillResult[]): string {
  const header = [
    'drill',
    'fault',
    'expected',
    'stored',
    'missing',
    'extra',
    'doubled',
    'seconds',
    'result',
    'detail',
  ];
  const body = rows.map((r) => [
    r.name,
    r.fault,
    String(r.expected),
    String(r.stored),
    String(r.missing.length),
    String(r.extra.length),
    String(r.duplicates),
    r.seconds.toFixed(0),
    r.name === 'reference'
      ? r.missing.length || r.duplicates
        ? 'FAIL'
        : 'ok'
      : failedDrill(r)
        ? 'FAIL'
        : 'PASS',
    r.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function parseFault(value: string, applicable: readonly FaultKind[]): FaultKind {
  if ((applicable as readonly string[]).includes(value)) return value as FaultKind;
  throw new Error(`--fault must be one of ${applicable.join(', ')} or all, not ${value}`);
}

function parsePostgresMode(value: string, concurrent: boolean): PostgresFaultMode {
  if (value === 'restart') return 'restart-cluster';
  if (value === 'terminate') return 'terminate-backends';
  if (value === 'auto') return !concurrent && canRestartPostgres() ? 'restart-cluster' : 'terminate-backends';
  throw new Error(`--postgres must be auto, restart or terminate, not ${value}`);
}

const print = (line: string | undefined): void => void process.stdout.write(`${line ?? ''}\n`);

const log = (line: string): void =>
  void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// Ctrl-C: exit through process.exit so the 'exit' hooks stop the child services.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
