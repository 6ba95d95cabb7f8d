export * from './compare';
export * from './load-run';
export * from './node-app';
export * from './progress';
export * from './report';
export * from './service-bench';
export * from './stats';
export * from './svg-chart';
