import { parseArgs } from 'node:util';
import { MAX_CUSTOMERS, MAX_RATE, type CorebankSimulatorConfig } from '../app.config';
import {
  ANALYTICS_SCENARIOS,
  DEFAULT_LIVE_RESPONSE,
  DEFAULT_UPLIFT,
  SCENARIOS,
  UPLIFT_SEGMENT_SIZE,
  campaignUpliftScenario,
  scenarioNames,
  upliftProductProblem,
  type ResponseSettings,
  type UpliftSettings,
} from '@crm/corebank-simulation';

/** A mistake on the command line: one line naming the flag, shown with the usage hint, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export interface SimulatorOptions {
  seed: number;
  customers: number;
  /** Events per second; 0 means unthrottled. */
  rate: number;
  /** Stream events after the initial load (population), or events at most (scenarios). */
  count?: number;
  durationSeconds?: number;
  /** Simulated time of the first event (epoch ms). */
  start: number;
  scenarios?: string[];
  /** How the live population answers contact requests. */
  liveResponse: ResponseSettings;
  /** What the campaign-uplift scenario does, and how its segment answers contact requests. */
  uplift: UpliftSettings;
  listScenarios: boolean;
  brokers: string[];
  out?: string;
  dryRun: boolean;
  quiet: boolean;
  help: boolean;
}

export const USAGE = `Usage: node -r ./tools/register.js apps/corebank-simulator/src/main.ts [options]

Publishes a seeded, reproducible bank's core-banking events to Kafka: the organisation, customers and
their holdings, then a stream of transactions, loan and card events, with the outlets' lobby queue
tickets (09:00-17:00 bank time). Or tells named scenarios: stories that must raise known alerts, customer
histories an analytics close of business must read a known way, a campaign's target segment.

Options:
  --seed <n>            generator seed (default SIM_SEED or 42); same seed and --start, same events
  --customers <n>       population size, 1-${MAX_CUSTOMERS} (default SIM_CUSTOMERS or 1000)
  --rate <n>            events per second, 0 = unthrottled (default SIM_RATE or 100;
                        --out and --dry-run are unthrottled unless --rate is given)
  --count <n>           stop after n stream events (after the initial load), or n scenario events
  --duration <s>        stop after s seconds of wall time
                        (without --count or --duration the stream runs until Ctrl-C)
  --start <iso-time>    simulated time of the first event (default: now), e.g. 2025-03-01T09:00:00+08:00
  --scenario <names>    tell these scenarios instead of running the population (comma-separated, or "all"
                        for every alert scenario); prints each one's customers, their accounts, loans and
                        cards, and their manager
                        (${ANALYTICS_SCENARIOS.map((s) => s.name).join(', ')}: four months of customer history from
                        --start; they print the close of business after it and what analytics must find then)
  --list-scenarios      list the scenarios and the alerts each must raise, then exit

  --brokers <list>      Kafka bootstrap brokers host:port[,host:port] (default KAFKA_BROKERS or 127.0.0.1:9092)
  --out <file.jsonl>    write the envelopes as JSON lines to a file instead of Kafka
  --dry-run             publish nothing to Kafka: generate and validate only (with --out, write the file)
  --quiet               no progress bar and no summary
  --help                show this help

Campaign responses (when publishing to Kafka): the simulator reads crm.campaign.contact, and a contacted
customer it knows opens the first product offered (account opened, loan disbursed or card issued).
  --response-rate <p>   probability that a contacted customer opens it, 0-1 (default ${DEFAULT_LIVE_RESPONSE.probability};
                        in campaign-uplift this is the lift, default ${DEFAULT_UPLIFT.lift})
  --response-delay <s>  it opens at a random moment within s seconds after the contact's dueAt
                        (default ${DEFAULT_LIVE_RESPONSE.withinMs / 1000})

--scenario ${campaignUpliftScenario.name} registers ${UPLIFT_SEGMENT_SIZE} customers at one outlet, prints the treatment and
control conversion a campaign offering them a product should find, then answers contact requests until
Ctrl-C or --duration:
  --product <code>      the product they open of their own accord (default ${DEFAULT_UPLIFT.productCode})
  --base-rate <p>       the probability each opens it of their own accord, 0-1 (default ${DEFAULT_UPLIFT.base}) ...
  --window <s>          ... within s seconds after the dueAt of the first contact for one of them
                        (default ${DEFAULT_UPLIFT.windowMs / 1000})

Environment: SIM_SEED, SIM_CUSTOMERS, SIM_RATE, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX (put before every topic
name), LOG_LEVEL (flags override them).`;

const BROKER = /^[\w.-]+:\d{2,5}$/;

const integer = (flag: string, raw: string, min: number, max: number): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new CliUsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
};

const positiveNumber = (flag: string, raw: string, min: number, max: number): number => {
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new CliUsageError(`--${flag} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
};

/** Node's parseArgs errors, reduced to one line naming the flag. */
const describeParseError = (error: Error & { code?: string }): string => {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (error.message.includes('ambiguous'))
        return `${flag} needs a value (write ${flag}=-x for one starting with a dash)`;
      return error.message.includes('argument missing')
        ? `${flag} needs a value`
        : `${flag} does not take a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}`.trim();
    default:
      return error.message;
  }
};

/** Reads the command line over the environment's settings. Throws CliUsageError on any mistake. */
export function parseCliOptions(
  argv: string[],
  config: CorebankSimulatorConfig,
  now: number,
): SimulatorOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        customers: { type: 'string' },
        rate: { type: 'string' },
        count: { type: 'string' },
        duration: { type: 'string' },
        start: { type: 'string' },
        scenario: { type: 'string' },
        'response-rate': { type: 'string' },
        'response-delay': { type: 'string' },
        product: { type: 'string' },
        'base-rate': { type: 'string' },
        window: { type: 'string' },
        'list-scenarios': { type: 'boolean' },
        brokers: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(describeParseError(error as Error & { code?: string }));
  }
  const text = (name: string) => values[name] as string | undefined;

  const dryRun = values['dry-run'] === true;
  const out = text('out');
  if (out !== undefined && !/\S/.test(out)) throw new CliUsageError('--out needs a file path');

  let start = now;
  const startText = text('start');
  if (startText !== undefined) {
    start = Date.parse(startText);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(startText) || Number.isNaN(start)) {
      throw new CliUsageError(
        `--start must be an ISO 8601 time such as 2025-03-01T09:00:00+08:00, got "${startText}"`,
      );
    }
  }

  let scenarios: string[] | undefined;
  const scenarioText = text('scenario');
  if (scenarioText !== undefined) {
    const known = scenarioNames();
    scenarios =
      scenarioText === 'all' ? SCENARIOS.map((s) => s.name) : scenarioText.split(',').map((s) => s.trim());
    const unknown = scenarios.filter((s) => !known.includes(s));
    if (unknown.length > 0 || scenarios.length === 0) {
      throw new CliUsageError(`--scenario: unknown scenario "${unknown.join(', ')}" (see --list-scenarios)`);
    }
  }

  const upliftOnly = ['product', 'base-rate', 'window'].filter((flag) => text(flag) !== undefined);
  if (upliftOnly.length > 0 && !scenarios?.includes(campaignUpliftScenario.name)) {
    throw new CliUsageError(`--${upliftOnly[0]} applies to --scenario ${campaignUpliftScenario.name} only`);
  }
  const productCode = text('product') ?? DEFAULT_UPLIFT.productCode;
  const productProblem = upliftProductProblem(productCode);
  if (productProblem) throw new CliUsageError(`--product: ${productProblem}`);
  const probability = (flag: string) => positiveNumber(flag, text(flag)!, 0, 1);
  const seconds = (flag: string) => positiveNumber(flag, text(flag)!, 0, 30 * 86_400) * 1000;
  const responseRate = text('response-rate') === undefined ? undefined : probability('response-rate');
  const responseDelayMs = text('response-delay') === undefined ? undefined : seconds('response-delay');

  const brokersText = text('brokers') ?? config.KAFKA_BROKERS;
  const brokers = brokersText.split(',').map((b) => b.trim());
  if (brokers.some((b) => !BROKER.test(b))) {
    throw new CliUsageError(`--brokers must be host:port[,host:port], got "${brokersText}"`);
  }

  const rateText = text('rate');
  const unthrottledSink = dryRun || out !== undefined;
  const options: SimulatorOptions = {
    seed:
      text('seed') === undefined
        ? config.SIM_SEED
        : integer('seed', text('seed')!, 0, Number.MAX_SAFE_INTEGER),
    customers:
      text('customers') === undefined
        ? config.SIM_CUSTOMERS
        : integer('customers', text('customers')!, 1, MAX_CUSTOMERS),
    rate:
      rateText !== undefined
        ? positiveNumber('rate', rateText, 0, MAX_RATE)
        : unthrottledSink
          ? 0
          : config.SIM_RATE,
    start,
    liveResponse: {
      probability: responseRate ?? DEFAULT_LIVE_RESPONSE.probability,
      withinMs: responseDelayMs ?? DEFAULT_LIVE_RESPONSE.withinMs,
    },
    uplift: {
      productCode,
      base: text('base-rate') === undefined ? DEFAULT_UPLIFT.base : probability('base-rate'),
      lift: responseRate ?? DEFAULT_UPLIFT.lift,
      windowMs: text('window') === undefined ? DEFAULT_UPLIFT.windowMs : seconds('window'),
      responseWithinMs: responseDelayMs ?? DEFAULT_UPLIFT.responseWithinMs,
    },
    listScenarios: values['list-scenarios'] === true,
    brokers,
    dryRun,
    quiet: values.quiet === true,
    help: values.help === true,
  };
  if (text('count') !== undefined)
    options.count = integer('count', text('count')!, 1, Number.MAX_SAFE_INTEGER);
  if (text('duration') !== undefined) {
    options.durationSeconds = positiveNumber('duration', text('duration')!, 0.001, 365 * 86_400);
  }
  if (scenarios) options.scenarios = scenarios;
  if (out !== undefined) options.out = out;
  return options;
}
