import { meetsEffort, POW_SOLUTION_BYTES, powHash } from '@mpqcht/protocol/plain';

/**
 * Tries `count` solutions from `start` (the low 32 bits of the 8-byte solution; the high 32 bits are
 * `high`): the first that meets `effort`, or null. Synchronous: call it in slices from a worker.
 * Its own module, with only zod-free imports, so a worker bundle that imports it (through
 * `@mpqcht/protocol-client/pow`) stays small.
 */
export function searchPow(
  challenge: Uint8Array,
  effort: number,
  high: number,
  start: number,
  count: number,
): Uint8Array | null {
  const solution = new Uint8Array(POW_SOLUTION_BYTES);
  const view = new DataView(solution.buffer);
  view.setUint32(0, high >>> 0);
  for (let i = 0; i < count; i++) {
    view.setUint32(4, (start + i) >>> 0);
    if (meetsEffort(powHash(challenge, solution), effort)) return solution;
  }
  return null;
}
