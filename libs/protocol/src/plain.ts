/**
 * The parts of the protocol that are plain values, without zod: limits and stream ids. The web
 * client imports values from here (its bundle must not carry the schemas) and types from
 * `@mpqcht/protocol`.
 */
export * from './lib/limits';
export * from './lib/streams';
