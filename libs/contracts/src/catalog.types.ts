import type { Topic } from './topics';

/** What the wire needs to know about one event type: where it travels and how its payload is checked. */
export interface EventDefinition<T extends object = object> {
  /** Versioned CloudEvents type, e.g. `bank.corebank.transaction.posted.v1` (a wire name: never change). */
  type: string;
  topic: Topic;
  payload: new () => T;
  /** One sentence for the AsyncAPI document and Swagger. */
  summary: string;
}
