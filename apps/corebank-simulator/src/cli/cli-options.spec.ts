import { loadConfig } from '@crm/config';
import { CorebankSimulatorConfig } from '../app.config';
import {
  ANALYTICS_SCENARIOS,
  DEFAULT_LIVE_RESPONSE,
  DEFAULT_UPLIFT,
  SCENARIOS,
} from '@crm/corebank-simulation';
import { CliUsageError, parseCliOptions } from './cli-options';

const NOW = Date.parse('2025-03-01T01:00:00Z');
const config = loadConfig(CorebankSimulatorConfig, {});
const parse = (...argv: string[]) => parseCliOptions(argv, config, NOW);
const failure = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
};

describe('parseCliOptions', () => {
  it('takes defaults from the environment config', () => {
    expect(parse()).toEqual({
      seed: 42,
      customers: 1000,
      rate: 100,
      start: NOW,
      liveResponse: DEFAULT_LIVE_RESPONSE,
      uplift: DEFAULT_UPLIFT,
      listScenarios: false,
      brokers: ['127.0.0.1:9092'],
      dryRun: false,
      quiet: false,
      help: false,
    });
    const fromEnv = loadConfig(CorebankSimulatorConfig, {
      SIM_SEED: '7',
      SIM_RATE: '250',
      KAFKA_BROKERS: 'kafka:9092',
    });
    expect(parseCliOptions([], fromEnv, NOW)).toMatchObject({ seed: 7, rate: 250, brokers: ['kafka:9092'] });
  });

  it('lets flags override the environment', () => {
    const options = parse(
      '--seed',
      '9',
      '--customers',
      '50',
      '--rate',
      '200',
      '--count',
      '2000',
      '--duration',
      '1.5',
      '--start',
      '2025-03-01T09:00:00+08:00',
      '--brokers',
      'a:9092,b:9093',
      '--quiet',
    );
    expect(options).toMatchObject({
      seed: 9,
      customers: 50,
      rate: 200,
      count: 2000,
      durationSeconds: 1.5,
      start: NOW,
      brokers: ['a:9092', 'b:9093'],
      quiet: true,
    });
  });

  it('runs file and dry runs unthrottled unless a rate is given', () => {
    expect(parse('--dry-run').rate).toBe(0);
    expect(parse('--out', '/tmp/x.jsonl').rate).toBe(0);
    expect(parse('--dry-run', '--rate', '50').rate).toBe(50);
  });

  it('accepts scenario names, a list, or all', () => {
    expect(parse('--scenario', 'large-inflow').scenarios).toEqual(['large-inflow']);
    expect(parse('--scenario', 'large-inflow,quiet-under-thresholds').scenarios).toEqual([
      'large-inflow',
      'quiet-under-thresholds',
    ]);
    // "all" is every alert story. The campaign scenario waits for contact requests, and the analytics ones
    // are months of history read at their own close of business: each is asked for by name.
    expect(parse('--scenario', 'all').scenarios).toEqual(SCENARIOS.map((s) => s.name));
    expect(parse('--scenario', 'all').scenarios).not.toContain('campaign-uplift');
    for (const { name } of ANALYTICS_SCENARIOS) {
      expect(parse('--scenario', 'all').scenarios).not.toContain(name);
      expect(parse('--scenario', name).scenarios).toEqual([name]);
    }
    expect(parse('--scenario', 'churn-drain,idle-deposits').scenarios).toEqual([
      'churn-drain',
      'idle-deposits',
    ]);
  });

  it('reads how contacted customers answer, live and in the campaign-uplift scenario', () => {
    expect(parse('--response-rate', '0.1', '--response-delay', '30').liveResponse).toEqual({
      probability: 0.1,
      withinMs: 30_000,
    });
    const uplift = parse(
      '--scenario',
      'campaign-uplift',
      '--response-rate',
      '1',
      '--response-delay',
      '0',
      '--base-rate',
      '0.25',
      '--window',
      '90',
      '--product',
      'CC-STD',
    ).uplift;
    expect(uplift).toEqual({
      productCode: 'CC-STD',
      base: 0.25,
      lift: 1,
      windowMs: 90_000,
      responseWithinMs: 0,
    });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--seed'], '--seed needs a value'],
    [['--dry-run=yes'], '--dry-run does not take a value'],
    [['stray'], 'unexpected argument stray'],
    [['--seed', '-1'], '--seed needs a value (write --seed=-x'],
    [['--seed=-1'], '--seed must be a whole number'],
    [['--seed', '4.2'], '--seed must be a whole number'],
    [['--customers', '0'], '--customers must be a whole number from 1 to 200000'],
    [['--rate', 'fast'], '--rate must be a number'],
    [['--count', '0'], '--count must be a whole number'],
    [['--duration', '0'], '--duration must be a number'],
    [['--start', 'yesterday'], '--start must be an ISO 8601 time'],
    [['--start', '2025-13-45T00:00:00Z'], '--start must be an ISO 8601 time'],
    [['--scenario', 'large-inflow,nope'], '--scenario: unknown scenario "nope"'],
    [['--brokers', 'localhost'], '--brokers must be host:port'],
    [['--out', ' '], '--out needs a file path'],
    [['--response-rate', '1.5'], '--response-rate must be a number from 0 to 1'],
    [['--response-delay', '-1'], '--response-delay needs a value'],
    [['--base-rate', '0.1'], '--base-rate applies to --scenario campaign-uplift only'],
    [['--scenario', 'large-inflow', '--window', '60'], '--window applies to --scenario campaign-uplift only'],
    [
      ['--scenario', 'campaign-uplift', '--product', 'TD-3Y'],
      '--product: TD-3Y is not in the product catalogue',
    ],
    [['--scenario', 'campaign-uplift', '--product', 'CL-WORKCAP'], '--product: CL-WORKCAP is for corporate'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(failure(...(argv as string[]))).toContain(message);
  });

  it('keeps every refusal to one line', () => {
    for (const argv of [['--bogus'], ['--seed', 'x'], ['--scenario', 'x']])
      expect(failure(...argv)).not.toContain('\n');
  });
});
