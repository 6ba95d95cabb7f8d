import { ConfigValidationError, loadConfig } from '@crm/config';
import { CorebankSimulatorConfig } from './app.config';
import { CliUsageError, USAGE, parseCliOptions, type SimulatorOptions } from './cli/cli-options';
import { BarProgressReporter, silentProgress } from './cli/progress-reporter';
import { responderFor, segmentRunOf } from './cli/campaign-responder';
import { eventSource, runSimulation } from './cli/run-simulation';
import { describeScenarioCast } from './cli/scenario-cast';
import { Topics } from '@crm/contracts';
import {
  ANALYTICS_SCENARIOS,
  buildScenario,
  CAMPAIGN_SCENARIOS,
  CampaignResponses,
  describeUplift,
  DryRunSink,
  type EventSink,
  JsonlFileSink,
  KafkaEventSink,
  SCENARIOS,
} from '@crm/corebank-simulation';
import { createKafka } from '@crm/messaging';

const NAME = 'corebank-simulator';

function listScenarios(options: SimulatorOptions): string {
  return [...SCENARIOS, ...ANALYTICS_SCENARIOS, ...CAMPAIGN_SCENARIOS]
    .map((definition) => {
      const run = buildScenario(definition.name, { seed: options.seed, start: options.start });
      const alerts =
        run.expectedAlerts.length === 0
          ? ['no alert']
          : run.expectedAlerts.map((a) => `${a.kind} (${a.because})`);
      const closeOfBusiness = run.analytics
        ? `; analytics must find its customers' figures at the close of business ${run.analytics.businessDate}`
        : '';
      return `${definition.name}\n  ${definition.summary}\n  ${run.events.length} events; must raise: ${alerts.join('; ')}${closeOfBusiness}`;
    })
    .join('\n\n');
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
  const source = eventSource(options);
  const contactTopic = `${config.KAFKA_TOPIC_PREFIX}${Topics.CrmCampaignContact}`;
  for (const run of source.runs)
    console.log(run.segment ? describeUplift(run, options.uplift, contactTopic) : describeScenarioCast(run));
  const responder = responderFor(options, source);
  if (!responder && segmentRunOf(source))
    console.log('  (no contact request is read: --dry-run and --out do not use Kafka)');

  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    console.error(`\n${NAME}: stopping after the batch in flight (Ctrl-C again to quit at once)`);
    stop.abort();
  });
  process.on('SIGTERM', () => stop.abort());

  const deadline =
    options.durationSeconds === undefined ? Infinity : Date.now() + options.durationSeconds * 1000;
  let sink: EventSink;
  try {
    sink = sinkFor(options, config);
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message}`);
    return 1;
  }
  const responses =
    responder &&
    new CampaignResponses({
      kafka: createKafka({ ...config, KAFKA_BROKERS: options.brokers.join(',') }, NAME),
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      sink,
      responder,
      log: (line) => console.log(line),
    });
  try {
    if (responses) {
      await responses.start();
      console.log(`Answering contact requests on ${responses.topic}`);
    }
    const { summary, elapsedMs, interrupted } = await runSimulation(
      source,
      options,
      sink,
      options.quiet ? silentProgress : new BarProgressReporter(),
      stop.signal,
    );
    if (responses && segmentRunOf(source) && !stop.signal.aborted) {
      console.log(
        `Published the scenario; answering contact requests until ${deadline === Infinity ? 'Ctrl-C' : 'the --duration is up'}`,
      );
      await untilStopped(stop.signal, deadline);
    }
    const answered = await responses?.stop();
    await sink.close();
    if (!options.quiet) {
      console.log(summary.format({ destination: sink.description, elapsedMs, interrupted }));
      if (answered) console.log(answered);
    }
    return 0;
  } catch (error) {
    console.error(`${NAME}: failed publishing to ${sink.description}: ${(error as Error).message}`);
    await responses?.stop().catch(() => undefined);
    await sink.close().catch(() => undefined);
    return 1;
  }
}

/** Resolves when the run is stopped (Ctrl-C, SIGTERM) or its deadline passes. */
function untilStopped(signal: AbortSignal, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = deadline === Infinity ? undefined : setTimeout(resolve, Math.max(0, deadline - Date.now()));
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
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
