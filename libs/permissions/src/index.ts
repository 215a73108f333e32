export * from './lib/member-actions';
export * from './lib/model';
export * from './lib/resolve';
export * from './lib/threads';
