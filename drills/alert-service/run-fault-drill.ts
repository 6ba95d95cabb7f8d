import { parseArgs } from 'node:util';
import {
  buildDrillStream,
  canRestartPostgres,
  FAULT_KINDS,
  type DrillResult,
  type FaultKind,
  type PostgresFaultMode,
  runDrills,
} from './fault-drill';

/**
 * Fault drills on the real stack (a script, not a test):
 *   node -r ./tools/register.js drills/alert-service/run-fault-drill.ts --events 50000 --fault all
 * Postgres: `--postgres restart` restarts the local cluster (root only, nothing else may be running);
 * the default `auto` restarts it when allowed and otherwise terminates the drilled instance's backends.
 * Exit code 1 when any drilled instance stores other alerts than the fault-free reference.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '50000' },
      fault: { type: 'string', default: 'all' },
      postgres: { type: 'string', default: 'auto' },
      seed: { type: 'string', default: '42' },
      keep: { type: 'boolean', default: false },
      concurrent: { type: 'boolean', default: false },
    },
  });
  const faults: FaultKind[] =
    values.fault === 'all' ? [...FAULT_KINDS] : values.fault.split(',').map((f) => parseFault(f));
  // Side by side, a cluster restart would hit the reference too: auto then cuts only the drilled backends.
  const postgresMode = parsePostgresMode(values.postgres, values.concurrent);
  const size = Number(values.events);
  if (!Number.isInteger(size) || size < 1_000)
    throw new Error('--events must be an integer of at least 1000');

  const started = Date.now();
  const stream = buildDrillStream({ size, seed: Number(values.seed) });
  log(
    `stream: ${stream.events.length} events (seed ${values.seed}, ${stream.scenarioRuns} rounds of every scenario, ` +
      `${stream.declared.length} declared scenario alerts), simulated ${stream.firstEventAt.toISOString()} .. ${stream.lastEventAt.toISOString()}`,
  );
  if (faults.includes('postgres')) log(`postgres fault: ${postgresMode}`);
  const { reference, drills } = await runDrills({
    stream,
    faults,
    postgresMode,
    log,
    keep: values.keep,
    concurrent: values.concurrent,
  });

  const rows = [reference, ...drills];
  const failed = drills.filter(failedDrill);
  const referenceBad = reference.missing.length > 0 || reference.duplicates > 0;
  print(table(rows));
  for (const drill of [reference, ...failed]) {
    if (drill.missing.length)
      print(`${drill.name} missing (first 10): ${drill.missing.slice(0, 10).join(', ')}`);
    if (drill.extra.length) print(`${drill.name} extra (first 10): ${drill.extra.slice(0, 10).join(', ')}`);
  }
  const pass = failed.length === 0 && !referenceBad;
  print(`${pass ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return pass ? 0 : 1;
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

function parseFault(value: string): FaultKind {
  if ((FAULT_KINDS as readonly string[]).includes(value)) return value as FaultKind;
  throw new Error(`--fault must be one of ${FAULT_KINDS.join(', ')} or all, not ${value}`);
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
