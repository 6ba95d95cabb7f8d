import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EventHeaders,
  EventTypes,
  MarketingChannel,
  Topics,
  type AccountOpenedPayload,
  type ContactRequestedPayload,
} from '@crm/contracts';
import { buildScenario } from '@crm/corebank-simulation';
import { EventPublisher, ensureTopics } from '@crm/messaging';
import {
  EventProbe,
  deleteTopicsWithPrefix,
  eventually,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';

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

describe('the simulator CLI answering a campaign (campaign-uplift)', () => {
  const prefix = `test.sim-uplift-${uniqueSuffix()}.`;
  const kafka = testKafka();
  const start = '2026-03-02T09:00:00+08:00';
  const run = buildScenario('campaign-uplift', { seed: 3, start: Date.parse(start) });
  const [contacted] = run.segment!.members.map((m) => m.customer.profile);
  let probe: EventProbe | undefined;
  const publisher = new EventPublisher(kafka);

  afterAll(async () => {
    await probe?.stop();
    await publisher.disconnect();
    await deleteTopicsWithPrefix(kafka, prefix);
  }, 30_000);

  it('prints the segment and the expected rates, then opens the product for the contacted customer and the base rate for all', async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        './tools/register.js',
        'apps/corebank-simulator/src/main.ts',
        ...['--scenario', 'campaign-uplift', '--seed', '3', '--start', start, '--rate', '0'],
        ...['--response-rate', '1', '--response-delay', '0', '--base-rate', '1', '--window', '2'],
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, KAFKA_BROKERS: testStack.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      await eventually(async () => stdout.includes('answering contact requests until Ctrl-C'), 60_000);
      expect(stdout).toContain(
        `segment: the 1000 customers this run registers at outlet ${contacted.homeInstitutionId}`,
      );
      expect(stdout).toContain('expected conversion to TD-12M: control 100.0 %, treatment 100.0 %');

      const account = `${prefix}${Topics.CorebankAccount}`;
      await ensureTopics(kafka, [account]);
      probe = await EventProbe.start(kafka, account);
      const contact: ContactRequestedPayload = {
        contactId: randomUUID(),
        campaignId: 'CMP-uplift-it',
        customerId: contacted.customerId,
        channel: MarketingChannel.Sms,
        productCodes: ['TD-12M'],
        message: '一年期定期存款限时优惠',
        institutionId: contacted.homeInstitutionId,
        managerId: null,
        dueAt: new Date().toISOString(),
      };
      await publisher.publish([
        {
          topic: `${prefix}${Topics.CrmCampaignContact}`,
          envelope: {
            id: randomUUID(),
            source: '/crm/campaign-service',
            type: EventTypes.ContactRequested,
            specversion: CLOUDEVENTS_SPEC_VERSION,
            time: new Date().toISOString(),
            subject: contacted.customerId,
            data: contact,
          },
        },
      ]);
      // Every customer of the segment opens a deposit of their own accord (base 1), the contacted one twice.
      const isDeposit = (m: { headers: Record<string, string>; json: unknown }) =>
        m.headers[EventHeaders.Type] === EventTypes.AccountOpened &&
        (m.json as AccountOpenedPayload).productCode === 'TD-12M';
      const deposits = await probe.waitForCount(isDeposit, 1001, 60_000);
      expect(deposits.filter((m) => m.key === contacted.customerId)).toHaveLength(2);
      expect(new Set(deposits.map((m) => m.key))).toEqual(new Set(run.customerIds));
      await eventually(async () => stdout.includes(`customer ${contacted.customerId} opens TD-12M`));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
    expect(stdout).toContain('Campaign responses: 1 contact requests (1 opens); 1001 openings published');
  }, 120_000);
});
