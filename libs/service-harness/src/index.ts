export * from './grpc-test-client';
export * from './service-harness';
export * from './test-token';
