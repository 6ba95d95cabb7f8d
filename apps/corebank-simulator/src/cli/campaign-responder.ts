import {
  ContactResponder,
  ProductOpener,
  directoryOf,
  upliftResponder,
  type ScenarioRun,
} from '@crm/corebank-simulation';
import type { SimulatorOptions } from './cli-options';
import type { EventSource } from './run-simulation';

/** The scenario whose segment answers campaigns (campaign-uplift), if the run tells one. */
export const segmentRunOf = (source: EventSource): ScenarioRun | undefined =>
  source.runs.find((r) => r.segment);

/**
 * Who answers campaign-service's contact requests in this run: the live population, or a scenario's
 * segment; undefined when nothing goes to Kafka or the scenarios told have no one to answer.
 */
export function responderFor(options: SimulatorOptions, source: EventSource): ContactResponder | undefined {
  if (options.dryRun || options.out !== undefined) return undefined;
  const segmentRun = segmentRunOf(source);
  if (segmentRun) return upliftResponder(segmentRun, options.seed, options.uplift);
  if (!source.bank) return undefined;
  return new ContactResponder({
    seed: options.seed,
    directory: directoryOf(source.bank),
    settings: options.liveResponse,
    opener: new ProductOpener(source.bank, options.seed),
  });
}
