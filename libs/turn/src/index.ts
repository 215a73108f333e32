export * from './lib/turn-credentials';
