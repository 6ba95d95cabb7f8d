import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { EventHeaders, EventTypes, Topics } from '@crm/contracts';
import { buildScenario } from '@crm/corebank-simulation';
import { EventProbe, deleteTopicsWithPrefix, testKafka, testStack, uniqueSuffix } from '@crm/testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

const simulator = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  promisify(execFile)(
    process.execPath,
    ['-r', './tools/register.js', 'apps/corebank-simulator/src/main.ts', ...args],
    {
      cwd: REPO_ROOT,
      env,
    },
  );

describe('the simulator CLI telling a scenario', () => {
  it('prints the customers, holdings and manager the scenario used, even with --quiet', async () => {
    const start = '2026-03-02T09:00:00+08:00';
    const { stdout } = await simulator([
      '--scenario',
      'large-inflow',
      '--seed',
      '7',
      '--start',
      start,
      '--dry-run',
      '--quiet',
    ]);

    const run = buildScenario('large-inflow', { seed: 7, start: Date.parse(start) });
    expect(run.customers).toHaveLength(1);
    const [{ customerId, holdings, managerId, institutionId }] = run.customers;
    expect(holdings).toHaveLength(1);
    expect(stdout).toContain(`large-inflow (correlation id ${run.correlationId})`);
    expect(stdout).toContain(
      `customer ${customerId} (manager ${managerId} at ${institutionId}): ${holdings[0]}`,
    );
  }, 60_000);
});

describe('the simulator CLI against the real broker', () => {
  const prefix = `test.sim-cli-${uniqueSuffix()}.`;
  const kafka = testKafka();
  let probe: EventProbe | undefined;

  afterAll(async () => {
    await probe?.stop();
    await deleteTopicsWithPrefix(kafka, prefix);
  }, 30_000);

  it('publishes a scenario to the topics under KAFKA_TOPIC_PREFIX', async () => {
    await simulator(['--scenario', 'large-inflow', '--quiet'], {
      ...process.env,
      KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    });
    probe = await EventProbe.start(kafka, `${prefix}${Topics.CorebankTransaction}`);
    // The scenario's story: a credit of 800000.00 from another bank for a flat sale.
    const credit = await probe.waitFor(
      (m) =>
        m.headers[EventHeaders.Type] === EventTypes.TransactionPosted &&
        JSON.stringify(m.json).includes('"amount":"800000.00"'),
    );
    expect(credit.key).toBeTruthy();
  }, 60_000);
});
