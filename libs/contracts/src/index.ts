import 'reflect-metadata';

export * from './asyncapi/asyncapi-document';
export * from './catalog';
export * from './catalog.types';
export * from './compose-decorators';
export * from './envelope';
export * from './event-samples';
export * from './events';
export * from './field.decorators';
export * from './identity';
export * from './money';
export * from './topics';
export * from './input-shape';
export * from './payload-check';
export * from './validate-payload';
export * from './iso-4217';
export * from './proto-files';
