// A seeded, reproducible core bank: the corebank-simulator CLI runs it, and service tests use it
// as their event source. Services never import it at run time.
export * from './campaigns/campaign-responses';
export * from './campaigns/campaign-uplift';
export * from './campaigns/contact-response';
export * from './campaigns/known-customer';
export * from './campaigns/product-opening';
export * from './core/event-factory';
export * from './lobby/opening-hours';
export type { Bank } from './population/bank.model';
export * from './population/organisation.generator';
export * from './population/product-catalogue';
export * from './publishing/dry-run-sink';
export * from './publishing/event-sink';
export * from './publishing/jsonl-file-sink';
export * from './publishing/kafka-event-sink';
export * from './scenarios/campaign-uplift.scenario';
export * from './scenarios/scenario.registry';
export * from './scenarios/scenario.types';
export { tellScenario, type Story } from './scenarios/story';
export * from './stream/bank-simulation';
export * from './stream/merge-by-time';
