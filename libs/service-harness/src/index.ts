export * from './service-harness';
export * from './test-token';
