export * from './lib/dtos';
export * from './lib/errors';
export * from './lib/events';
export * from './lib/fields';
export * from './lib/limits';
export * from './lib/requests';
export * from './lib/streams';
export * from './lib/text-rule';
