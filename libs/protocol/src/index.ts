export * from './lib/errors';
export * from './lib/limits';
export * from './lib/fields';
export * from './lib/text-rule';
export * from './lib/requests';
export * from './lib/dtos';
export * from './lib/events';
