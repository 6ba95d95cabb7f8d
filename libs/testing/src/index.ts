export * from './event-probe';
export * from './test-schema';
export * from './test-stack';
export * from './test-topic';
export * from './swagger-console';
export * from './eventually';
export * from './openapi-query';
export * from './service-env';
