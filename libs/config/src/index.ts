export * from './config-rules';
export * from './config.error';
export * from './config.module';
export * from './load-config';
export * from './published-dev-secrets';
export * from './service.config';
