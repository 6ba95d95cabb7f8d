import { BankOperations } from '../core/bank-operations';
import { cstDateOf } from '../core/calendar';
import { EventFactory, type SimEvent } from '../core/event-factory';
import { IdAllocator, runTagOf } from '../core/id-allocator';
import { Prng } from '../core/prng';
import { generatePopulation } from '../population/population.generator';
import { ActivityStream } from './activity-stream';
import { INITIAL_LOAD_SPACING_MS, initialLoadEvents } from './initial-load';

export interface SimulationRun {
  seed: number;
  customers: number;
  /** Simulated time of the first event (epoch ms). */
  start: number;
}

/**
 * The population's events for a run: the initial load (organisation, customers, their holdings), then
 * the endless activity stream. Same seed and start, same events; generated lazily.
 */
export function populationEvents(run: SimulationRun): {
  initialLoad: SimEvent[];
  stream: Generator<SimEvent>;
} {
  const bank = generatePopulation({ seed: run.seed, customers: run.customers, asOf: cstDateOf(run.start) });
  const runPrng = new Prng(run.seed, run.start, 'run');
  const ids = new IdAllocator(runPrng, '1', runTagOf(runPrng));
  const ops = new BankOperations(
    new EventFactory({ seed: run.seed, start: run.start, stream: 'population' }),
    ids,
  );
  const initialLoad = initialLoadEvents(bank, ops, run.start);
  const streamStart = run.start + initialLoad.length * INITIAL_LOAD_SPACING_MS;
  const stream = new ActivityStream(bank, ops, runPrng.fork('activity'), streamStart).events();
  return { initialLoad, stream };
}
