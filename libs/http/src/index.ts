export * from './api-problems';
export * from './body-parser-error.middleware';
export * from './bootstrap-http-service';
export * from './domain.exception';
export * from './http-app';
export * from './problem-details';
export * from './problem-details.filter';
export * from './request-validation';
