import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { buildDrillStream, runAlertDrills } from './alert-service/alert-drill';
import { ANALYTICS_DRILL } from './analytics-service/analytics-drill';
import { ASSIGNMENT_DRILL } from './assignment-service/assignment-drill';
import { CUSTOMER_DRILL } from './customer-service/customer-drill';
import {
  bankEvents,
  canRestartPostgres,
  FAULT_KINDS,
  runDrills,
  type DrillResult,
  type FaultKind,
  type PostgresFaultMode,
} from './lib/fault-drill';

/** Services a drill can be run on, and the faults that apply to each (Redis only where it keeps state). */
const SERVICES = {
  alert: [...FAULT_KINDS],
  customer: ['kill', 'postgres'],
  assignment: ['kill', 'postgres'],
  analytics: ['kill', 'postgres'],
} as const satisfies Record<string, readonly FaultKind[]>;
type ServiceName = keyof typeof SERVICES;

const REPORT_DIR = join(__dirname, '..', 'docs', 'drills');

/**
 * Fault drills on the real stack (a script, not a test):
 *   node -r ./tools/register.js drills/run-fault-drill.ts --service customer --events 50000 --fault all --write
 * Postgres: `--postgres restart` restarts the local cluster (root only, nothing else may be running);
 * the default `auto` restarts it when allowed and otherwise terminates the drilled instance's backends.
 * `--write` writes docs/drills/<service>-faults.md. Exit code 1 when any drilled instance's outcome differs
 * from the fault-free reference's.
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
  if (!(values.service in SERVICES))
    throw new Error(`--service must be one of ${Object.keys(SERVICES).join(', ')}, not ${values.service}`);
  const service = values.service as ServiceName;
  const applicable: readonly FaultKind[] = SERVICES[service];
  const faults: FaultKind[] =
    values.fault === 'all' ? [...applicable] : values.fault.split(',').map((f) => parseFault(f, applicable));
  // Side by side, a cluster restart would hit the reference too: auto then cuts only the drilled backends.
  const postgresMode = parsePostgresMode(values.postgres, values.concurrent);
  const size = Number(values.events);
  if (!Number.isInteger(size) || size < 1_000)
    throw new Error('--events must be an integer of at least 1000');

  const started = Date.now();
  if (faults.includes('postgres')) log(`postgres fault: ${postgresMode}`);
  const common = { faults, postgresMode, log, keep: values.keep, concurrent: values.concurrent };
  let described: string;
  let result: { reference: DrillResult; drills: DrillResult[] };
  if (service === 'alert') {
    const stream = buildDrillStream({ size, seed: Number(values.seed) });
    described =
      `${stream.events.length} events (seed ${values.seed}, ${stream.scenarioRuns} rounds of every scenario, ` +
      `${stream.declared.length} declared scenario alerts), simulated ${stream.firstEventAt.toISOString()} .. ${stream.lastEventAt.toISOString()}`;
    log(`stream: ${described}`);
    result = await runAlertDrills(stream, common);
  } else {
    const events = bankEvents({ size, seed: Number(values.seed) });
    described = `${events.length} events of the seeded bank (seed ${values.seed}): its initial load, then its activity`;
    log(`stream: ${described}`);
    const drilled = { customer: CUSTOMER_DRILL, assignment: ASSIGNMENT_DRILL, analytics: ANALYTICS_DRILL }[
      service
    ];
    result = await runDrills({ ...common, service: drilled, events });
  }
  const { reference, drills } = result;

  const rows = [reference, ...drills];
  const failed = drills.filter(failedDrill);
  const referenceBad = reference.missing.length > 0 || reference.duplicates > 0;
  const lines = [table(rows)];
  for (const drill of [reference, ...failed]) {
    if (drill.missing.length)
      lines.push(`${drill.name} missing (first 10): ${drill.missing.slice(0, 10).join(', ')}`);
    if (drill.extra.length)
      lines.push(`${drill.name} extra (first 10): ${drill.extra.slice(0, 10).join(', ')}`);
  }
  const pass = failed.length === 0 && !referenceBad;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  lines.push(`${pass ? 'PASS' : 'FAIL'} in ${seconds} s`);
  lines.forEach(print);
  if (values.write) {
    const path = join(REPORT_DIR, `${service}-faults.md`);
    const markdown = report(service, process.argv.slice(2).join(' '), described, lines);
    // As the repository's format check wants it.
    await writeFile(path, await format(markdown, { ...(await resolveConfig(path)), filepath: path }));
    log(`wrote ${path}`);
  }
  return pass ? 0 : 1;
}

function report(service: string, args: string, stream: string, lines: string[]): string {
  return [
    `# Fault drill: ${service}-service`,
    '',
    `Generated by drills/run-fault-drill.ts on ${new Date().toISOString()}; do not edit by hand, run the command again.`,
    '',
    '```bash',
    `node -r ./tools/register.js drills/run-fault-drill.ts ${args}`,
    '```',
    '',
    `The same stream goes through a fault-free reference instance and through one instance per fault, each a real`,
    `child process with its own schema, topics and consumer group on the machine's Postgres, Redis and Kafka; the fault`,
    `strikes when half the stream is applied. Each drilled instance's outcome (see drills/${service}-service) must`,
    `equal the reference's: nothing missing, nothing extra, nothing doubled.`,
    '',
    `Stream: ${stream}. Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared.`,
    '',
    lines[0],
    '',
    lines.slice(1).join('\n\n'),
    '',
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
