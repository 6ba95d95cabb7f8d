import type { SimEvent } from '../core/event-factory';

/** An event to publish once the wall clock reaches `at` (epoch ms), its time in the simulated bank. */
export interface DueEvent {
  at: number;
  event: SimEvent;
}
