import { BankOperations } from '../core/bank-operations';
import { cstDateOf } from '../core/calendar';
import { EventFactory, type SimEvent } from '../core/event-factory';
import { IdAllocator, runTagOf } from '../core/id-allocator';
import { Prng } from '../core/prng';
import { LobbyTraffic } from '../lobby/lobby-traffic';
import type { Bank } from '../population/bank.model';
import { generatePopulation } from '../population/population.generator';
import { ActivityStream } from './activity-stream';
import { INITIAL_LOAD_SPACING_MS, initialLoadEvents } from './initial-load';

export interface SimulationRun {
  seed: number;
  customers: number;
  /** Simulated time of the first event (epoch ms). */
  start: number;
}

export interface PopulationEvents {
  /** The bank the events are about (its state moves as the stream is consumed). */
  bank: Bank;
  initialLoad: SimEvent[];
  /** Core banking's endless activity after the initial load. */
  stream: Generator<SimEvent>;
  /** The outlets' lobby queueing machines over the same days: another source system, merged by the caller. */
  lobby: Generator<SimEvent>;
}

/**
 * The population's events for a run: the initial load (organisation, customers, their holdings), then
 * the endless activity stream, and the lobby tickets of the same customers. Same seed and start, same
 * events; generated lazily.
 */
export function populationEvents(run: SimulationRun): PopulationEvents {
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
  // Its own generator and ids, so the lobby's draws never shift core banking's events.
  const lobby = new LobbyTraffic(
    bank,
    new EventFactory({ seed: run.seed, start: run.start, stream: 'lobby' }),
    new Prng(run.seed, run.start, 'lobby'),
    streamStart,
  ).events();
  return { bank, initialLoad, stream, lobby };
}

const DAY_MS = 86_400_000;

/**
 * The first `size` events of a seeded bank sized to them: its initial load (institutions, managers,
 * customers, their accounts, loans and cards), then its activity. Simulated time starts `daysBack` days
 * before today's midnight (UTC), the same for every run of a day: drills and benchmarks replay it.
 */
export function bankEvents(options: { size: number; seed?: number; daysBack?: number }): SimEvent[] {
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - (options.daysBack ?? 60) * DAY_MS;
  const population = populationEvents({
    seed: options.seed ?? 42,
    customers: Math.max(100, Math.round(options.size / 50)),
    start,
  });
  const events = population.initialLoad.slice(0, options.size);
  for (const event of population.stream) {
    if (events.length >= options.size) break;
    events.push(event);
  }
  return events;
}
