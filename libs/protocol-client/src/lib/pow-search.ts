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

/** One step of `powSlices`: a slice searched in vain, or the solution (the last step). */
export type PowSearchStep =
  | { readonly kind: 'progress'; readonly tried: number }
  | { readonly kind: 'solved'; readonly tried: number; readonly solution: Uint8Array };

export interface PowSlicesOptions {
  /** Hashes per slice: between two progress steps, the time a caller cannot answer anything. */
  readonly slice: number;
  /** The high 32 bits of the first solutions tried; `randomHigh()` when absent. */
  readonly high?: number;
  /** The low 32 bits of the first solution tried; 0 when absent. */
  readonly start?: number;
  /** Draws a high half; a random 32-bit value unless a test fixes it. */
  readonly randomHigh?: () => number;
}

const LOW_VALUES = 0x1_0000_0000;

/** A random 32-bit value: not a secret, only different from another solver's. */
export function randomPowHigh(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/**
 * The one proof-of-work search loop of every client (the library's `solvePow`, the web client's
 * worker, the CLI's worker thread): counts the low half up from `start`, a slice at a time, and
 * yields the hashes `tried` so far after each slice, then the solution, and ends. Synchronous, so
 * the caller decides what happens between slices (post progress, yield to the event loop, stop).
 *
 * The high half is random, so two solvers of one challenge (two tabs, two processes) do not walk
 * the same path. When the low half wraps (2³² values tried with one high half), a new random high
 * half is drawn and the low half starts again at 0: the search never gives up, and never tries a
 * value twice but by the chance of drawing a high half again. No slice straddles the wrap.
 */
export function* powSlices(
  challenge: Uint8Array,
  effort: number,
  options: PowSlicesOptions,
): Generator<PowSearchStep, void, void> {
  const randomHigh = options.randomHigh ?? randomPowHigh;
  const slice = Math.max(1, Math.floor(options.slice));
  let high = options.high ?? randomHigh();
  let low = (options.start ?? 0) >>> 0;
  let tried = 0;
  for (;;) {
    const count = Math.min(slice, LOW_VALUES - low);
    const solution = searchPow(challenge, effort, high, low, count);
    if (solution) {
      const found = new DataView(solution.buffer).getUint32(4);
      yield { kind: 'solved', tried: tried + found - low + 1, solution };
      return;
    }
    tried += count;
    low += count;
    if (low === LOW_VALUES) {
      low = 0;
      high = randomHigh();
    }
    yield { kind: 'progress', tried };
  }
}
