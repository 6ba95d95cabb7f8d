import { ConfigValidationError, loadConfig } from '@crm/config';
import { CorebankSimulatorConfig } from './app.config';
import { CliUsageError, USAGE, parseCliOptions, type SimulatorOptions } from './cli/cli-options';
import { BarProgressReporter, silentProgress } from './cli/progress-reporter';
import { runSimulation } from './cli/run-simulation';
import { describeScenarioCast } from './cli/scenario-cast';
import {
  buildScenario,
  DryRunSink,
  type EventSink,
  JsonlFileSink,
  KafkaEventSink,
  SCENARIOS,
} from '@crm/corebank-simulation';

const NAME = 'corebank-simulator';

function listScenarios(options: SimulatorOptions): string {
  return SCENARIOS.map((definition) => {
    const run = buildScenario(definition.name, { seed: options.seed, start: options.start });
    const alerts =
      run.expectedAlerts.length === 0
        ? ['no alert']
        : run.expectedAlerts.map((a) => `${a.kind} (${a.because})`);
    return `${definition.name}\n  ${definition.summary}\n  ${run.events.length} events; must raise: ${alerts.join('; ')}`;
  }).join('\n\n');
}

function sinkFor(options: SimulatorOptions, config: CorebankSimulatorConfig): EventSink {
  if (options.out) return new JsonlFileSink(options.out);
  if (options.dryRun) return new DryRunSink();
  return new KafkaEventSink({
    brokers: options.brokers,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    security: config,
  });
}

async function main(argv: string[]): Promise<number> {
  let config: CorebankSimulatorConfig;
  let options: SimulatorOptions;
  try {
    config = loadConfig(CorebankSimulatorConfig, process.env, NAME);
    options = parseCliOptions(argv, config, Date.now());
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof ConfigValidationError) {
      // A config error already names the service.
      const message = error instanceof ConfigValidationError ? error.message : `${NAME}: ${error.message}`;
      console.error(`${message}\nRun with --help for usage.`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.listScenarios) {
    console.log(listScenarios(options));
    return 0;
  }
  for (const name of options.scenarios ?? [])
    console.log(describeScenarioCast(buildScenario(name, { seed: options.seed, start: options.start })));

  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    console.error(`\n${NAME}: stopping after the batch in flight (Ctrl-C again to quit at once)`);
    stop.abort();
  });
  process.on('SIGTERM', () => stop.abort());

  let sink: EventSink;
  try {
    sink = sinkFor(options, config);
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message}`);
    return 1;
  }
  try {
    const { summary, elapsedMs, interrupted } = await runSimulation(
      options,
      sink,
      options.quiet ? silentProgress : new BarProgressReporter(),
      stop.signal,
    );
    await sink.close();
    if (!options.quiet)
      console.log(summary.format({ destination: sink.description, elapsedMs, interrupted }));
    return 0;
  } catch (error) {
    console.error(`${NAME}: failed publishing to ${sink.description}: ${(error as Error).message}`);
    await sink.close().catch(() => undefined);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
