import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { EventHeaders, EventTypes, Topics } from '@crm/contracts';
import { EventProbe, deleteTopicsWithPrefix, testKafka, testStack, uniqueSuffix } from '@crm/testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

describe('the simulator CLI against the real broker', () => {
  const prefix = `test.sim-cli-${uniqueSuffix()}.`;
  const kafka = testKafka();
  let probe: EventProbe | undefined;

  afterAll(async () => {
    await probe?.stop();
    await deleteTopicsWithPrefix(kafka, prefix);
  }, 30_000);

  it('publishes a scenario to the topics under KAFKA_TOPIC_PREFIX', async () => {
    await promisify(execFile)(
      process.execPath,
      [
        '-r',
        './tools/register.js',
        'apps/corebank-simulator/src/main.ts',
        '--scenario',
        'large-inflow',
        '--quiet',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, KAFKA_BROKERS: testStack.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
      },
    );
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
