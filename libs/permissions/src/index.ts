export * from './lib/model';
export * from './lib/resolve';
export * from './lib/member-actions';
