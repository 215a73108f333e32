import { POW_CHALLENGE_BYTES } from '@mpqcht/protocol/plain';
import { powSlices } from '@mpqcht/protocol-client/pow';

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
  // The page's high half first; a new random one whenever the low half wraps (see powSlices).
  for (const step of powSlices(challenge, request.effort, { slice, high: request.high })) {
    post(
      step.kind === 'solved'
        ? { kind: 'solved', solution: step.solution }
        : { kind: 'progress', tried: step.tried },
    );
  }
}
