/** What the page and the proof-of-work worker say to each other (`pow.worker.ts`). */

/**
 * Page → worker: solve this challenge, counting up from `high` ‖ 0 (and on from a new random high
 * half if the low half wraps). Bytes, not hex: the worker's bundle carries the search and nothing
 * else.
 */
export interface PowWorkerRequest {
  readonly challenge: Uint8Array;
  readonly effort: number;
  /** The high 32 bits of the first solutions tried: random, so two tabs do not walk the same path. */
  readonly high: number;
}

/** Worker → page: how many hashes it tried so far, the 8-byte solution, or why it cannot solve. */
export type PowWorkerReply =
  | { readonly kind: 'progress'; readonly tried: number }
  | { readonly kind: 'solved'; readonly solution: Uint8Array }
  | { readonly kind: 'failed'; readonly message: string };
