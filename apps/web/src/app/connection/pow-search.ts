import { POW_CHALLENGE_BYTES } from '@mpqcht/protocol/plain';
import { searchPow } from '@mpqcht/protocol-client/pow';

import type { PowWorkerReply, PowWorkerRequest } from './pow-worker-messages';

/** Hashes between two progress reports: a few tens of milliseconds in a browser. */
export const POW_SLICE = 20_000;

/**
 * The worker's whole job: searches in slices, reporting progress after each, until a solution
 * turns up. Synchronous on purpose: it runs in a worker, and the page ends it with `terminate()`.
 */
export function runPowSearch(
  request: PowWorkerRequest,
  post: (reply: PowWorkerReply) => void,
  slice = POW_SLICE,
): void {
  const { challenge } = request;
  if (challenge.length !== POW_CHALLENGE_BYTES) {
    post({ kind: 'failed', message: 'the server sent a malformed proof-of-work challenge' });
    return;
  }
  // 2³² tries per `high` are far more than any effort up to the ceiling needs on average.
  for (let start = 0; start < 0x1_0000_0000; start += slice) {
    const solution = searchPow(challenge, request.effort, request.high, start, slice);
    if (solution) {
      post({ kind: 'solved', solution });
      return;
    }
    post({ kind: 'progress', tried: start + slice });
  }
  post({ kind: 'failed', message: 'no proof-of-work solution found' });
}
