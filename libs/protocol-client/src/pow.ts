/**
 * The proof-of-work search alone, for a worker: no socket, no identity, no schemas in its bundle.
 * Everything else is in the main entry (`@mpqcht/protocol-client`), which exports this too.
 */
export {
  type PowSearchStep,
  powSlices,
  type PowSlicesOptions,
  randomPowHigh,
  searchPow,
} from './lib/pow-search';
