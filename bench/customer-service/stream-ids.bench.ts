import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import QueryStream from 'pg-query-stream';
import { Metadata, credentials, loadPackageDefinition, type ClientReadableStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { CUSTOMER_PROTO } from '@crm/contracts';
import { Role, signDevToken } from '@crm/security';
import { freePort } from '@crm/testing';
import { writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import {
  REPORT_DIR,
  RunningNodeApp,
  commandLine,
  describeMachine,
  machineSection,
  startNodeApp,
} from '../lib';
import { BRANCHES, institutions, outletId, OUTLETS_PER_BRANCH } from './bench-bank.data';

/**
 * customer-service's StreamCustomerIds over a bank of 1 000 000 customers (ids and coverage only, in a
 * schema of its own, kept between runs), side by side in one run with a bare loop reading the same ids
 * straight from Postgres through a cursor. Reports ids per second and the service's resident memory in
 * each quarter of each stream, with the service as deployed and with its old space capped at 100 MiB,
 * to docs/benchmarks/customer-service-stream-ids.md.
 *
 *   node -r ./tools/register.js bench/customer-service/stream-ids.bench.ts [--customers N] [--batch N]
 */
const SCHEMA = 'bench_customer_ids';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
const JWT = {
  JWT_SECRET: randomBytes(24).toString('hex'),
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};
const benchKey = (purpose: string): string =>
  createHash('sha256').update(`bank-crm stream-ids benchmark ${purpose}`).digest('base64');
const BRANCH = BRANCHES[0].id;
const OUTLETS = BRANCHES.flatMap((branch) =>
  Array.from({ length: OUTLETS_PER_BRANCH }, (_, i) => outletId(branch, i)),
);

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Customers spread evenly over the outlets, every eighth also covered by the next outlet. */
async function load(db: Client, customers: number): Promise<void> {
  const t = (table: string) => `"${SCHEMA}".${table}`;
  const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM ${t('customer')}`)).rows;
  if (n === customers) return log(`schema ${SCHEMA} already holds ${n} customers`);
  log(`loading ${customers} customers into ${SCHEMA}...`);
  await db.query(
    `TRUNCATE ${['coverage_secondary', 'coverage', 'customer', 'institution'].map(t).join(', ')}`,
  );
  for (const i of institutions())
    await db.query(
      `INSERT INTO ${t('institution')} (id, parent_id, name, level, region_code, active, as_of)
       VALUES ($1, $2, $3, $4, $5, true, now())`,
      [i.id, i.parentId, i.name, i.level, i.regionCode],
    );
  const series = `generate_series(1, $1) AS n`;
  const outlet = (offset: number) => `($2::text[])[(n + ${offset}) % ${OUTLETS.length} + 1]`;
  await db.query(
    `INSERT INTO ${t('customer')} (id, kind, name, region_code, home_institution_id, phone_enc, phone_hash, profile_as_of)
     SELECT 'C1' || lpad(n::text, 11, '0'), 'individual', 'c', '330106', ${outlet(0)}, '-', '-', now() FROM ${series}`,
    [customers, OUTLETS],
  );
  await db.query(
    `INSERT INTO ${t('coverage')} (customer_id, version, primary_institution_id, key_customer, changed_at)
     SELECT 'C1' || lpad(n::text, 11, '0'), 1, ${outlet(0)}, false, now() FROM ${series}`,
    [customers, OUTLETS],
  );
  await db.query(
    `INSERT INTO ${t('coverage_secondary')} (customer_id, institution_id, reason)
     SELECT 'C1' || lpad(n::text, 11, '0'), ${outlet(1)}, 'deposit' FROM ${series} WHERE n % 8 = 0`,
    [customers, OUTLETS],
  );
  await db.query(`ANALYZE ${t('customer')}; ANALYZE ${t('coverage')}; ANALYZE ${t('coverage_secondary')}`);
}

/** Resident memory of a process, in MiB. */
const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

interface Measured {
  ids: number;
  seconds: number;
  rssBefore?: number;
  /** The service's peak resident memory in each quarter of the stream: flat when they do not climb. */
  rssPeaks?: number[];
}

async function bareLoop(db: Client): Promise<Measured> {
  const started = process.hrtime.bigint();
  let ids = 0;
  const rows = db.query(
    new QueryStream(`SELECT id FROM "${SCHEMA}".customer ORDER BY id`, [], { batchSize: 1000 }),
  );
  for await (const _row of rows) ids++;
  return { ids, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function streamIds(
  service: RunningNodeApp,
  grpcAddress: string,
  request: object,
  token: string,
  expected: number,
): Promise<Measured> {
  const definition = loadSync(CUSTOMER_PROTO.path, {
    keepCase: false,
    defaults: false,
    oneofs: true,
  });
  type Stub = {
    StreamCustomerIds(req: object, md: Metadata): ClientReadableStream<{ customers: unknown[] }>;
  };
  const pkg = loadPackageDefinition(definition) as unknown as {
    crm: {
      customer: {
        v1: { CustomerService: new (address: string, creds: unknown) => Stub & { close(): void } };
      };
    };
  };
  const client = new pkg.crm.customer.v1.CustomerService(grpcAddress, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const rssBefore = rssMiB(service.pid);
  const rssPeaks = [0, 0, 0, 0];
  let ids = 0;
  const sampler = setInterval(() => {
    const quarter = Math.min(3, Math.floor((4 * ids) / expected));
    rssPeaks[quarter] = Math.max(rssPeaks[quarter], rssMiB(service.pid));
  }, 20);
  const started = process.hrtime.bigint();
  try {
    for await (const batch of client.StreamCustomerIds(request, metadata)) ids += batch.customers.length;
  } finally {
    clearInterval(sampler);
    client.close();
  }
  return { ids, seconds: Number(process.hrtime.bigint() - started) / 1e9, rssBefore, rssPeaks };
}

/** The service as deployed, then with its old space capped: if it streams 1M ids in 100 MiB, nothing grows with the rows. */
const SERVICE_RUNS = [
  { label: 'default heap', nodeOptions: '' },
  { label: 'old space capped at 100 MiB', nodeOptions: '--max-old-space-size=100' },
];

function startService(grpcPort: number, nodeOptions: string): Promise<RunningNodeApp> {
  return startNodeApp({
    name: 'customer-service',
    entry: 'apps/customer-service/src/main.ts',
    env: {
      NODE_OPTIONS: nodeOptions,
      DATABASE_URL,
      DATABASE_SCHEMA: SCHEMA,
      GRPC_PORT: String(grpcPort),
      KAFKA_TOPIC_PREFIX: 'bench.customer-ids.',
      ...JWT,
      // Fixed, not secrets: the service checks that the kept schema was written with the same keys.
      PII_ENCRYPTION_KEY: benchKey('pii encryption'),
      PII_HASH_KEY: benchKey('pii hash'),
    },
  });
}

async function main(): Promise<void> {
  const customers = option('customers', 1_000_000);
  const batchSize = option('batch', 1_000);
  const startedAt = new Date();
  const machine = describeMachine();
  const db = new Client({ connectionString: DATABASE_URL, application_name: 'bench-stream-ids' });
  await db.connect();
  const lines = [
    '| run | ids | seconds | ids/s | service RSS (MiB): before, then the peak of each quarter of the stream |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  const record = (name: string, m: Measured): void => {
    const rss =
      m.rssBefore === undefined ? '' : [m.rssBefore, ...m.rssPeaks!].map((mib) => mib.toFixed(0)).join(', ');
    lines.push(
      `| ${name} | ${m.ids} | ${m.seconds.toFixed(1)} | ${Math.round(m.ids / m.seconds)} | ${rss} |`,
    );
    log(lines[lines.length - 1]);
  };
  try {
    for (const { label, nodeOptions } of SERVICE_RUNS) {
      const grpcPort = await freePort();
      log(`starting customer-service, ${label} (it migrates its schema)...`);
      const service = await startService(grpcPort, nodeOptions);
      try {
        await load(db, customers);
        if (lines.length === 2)
          record('bare loop: `SELECT id … ORDER BY id` through a cursor', await bareLoop(db));
        const system = signDevToken(
          { sub: 'bench-campaign-service', roles: [Role.System], inst: 'HO' },
          JWT,
          3600,
        );
        const grpcAddress = `127.0.0.1:${grpcPort}`;
        const stream = (request: object, expected: number) =>
          streamIds(service, grpcAddress, { batchSize, ...request }, system, expected);
        record(`StreamCustomerIds, whole bank (system), ${label}`, await stream({}, customers));
        record(
          `StreamCustomerIds, \`scope_institution_id\` ${BRANCH} (a branch: 5 of 20 outlets), ${label}`,
          await stream({ scopeInstitutionId: BRANCH }, await branchCustomers(db)),
        );
      } finally {
        await service.stop();
      }
    }
  } finally {
    await db.end();
  }
  const report = [
    '# customer-service: StreamCustomerIds',
    '',
    `Every id of a target list streamed over gRPC (\`StreamCustomerIds\`, batches of ${batchSize} ids, read as fast`,
    'as they come), side by side in one run with a bare loop reading the same ids from Postgres through a cursor.',
    `Bank: ${customers} customers in the schema \`${SCHEMA}\` (ids and coverage only), spread evenly over 20`,
    'outlets of 4 branches, every eighth also covered by a second outlet. The service is started twice: as',
    'deployed, then with its old space capped at 100 MiB. As deployed, resident memory climbs while V8 leaves',
    'garbage uncollected; under the cap the same streams finish with memory flat from the first quarter to the',
    'last, so nothing the stream keeps grows with the rows.',
    '',
    `Command: \`${commandLine()}\``,
    '',
    ...lines,
    '',
    ...machineSection(machine, startedAt, 'The machine is shared: other work ran beside this one.'),
  ].join('\n');
  const path = join(REPORT_DIR, 'customer-service-stream-ids.md');
  await writeFile(path, await format(report, { ...(await resolveConfig(path)), filepath: path }));
  process.stdout.write(`${report}\n`);
}

/** The branch's customers, primary or secondary: what its stream must deliver. */
async function branchCustomers(db: Client): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM "${SCHEMA}".coverage cv WHERE cv.primary_institution_id LIKE $1
       OR EXISTS (SELECT 1 FROM "${SCHEMA}".coverage_secondary cs WHERE cs.customer_id = cv.customer_id AND cs.institution_id LIKE $1)`,
    [`${BRANCH}-%`],
  );
  return rows[0].n;
}

main().catch((error) => {
  log(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
