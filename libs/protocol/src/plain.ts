/**
 * The parts of the protocol that are plain values, without zod: limits, stream ids, the search
 * query parser and the proof-of-work format. The web client imports values from here (its bundle must not carry the schemas)
 * and types from `@mpqcht/protocol`.
 */
export * from './lib/limits';
export * from './lib/pow';
export * from './lib/search-query';
export * from './lib/streams';
