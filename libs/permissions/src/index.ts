export * from './lib/model';
export * from './lib/resolve';
