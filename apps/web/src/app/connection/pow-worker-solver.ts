import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import type { PowChallengeDto, PowProof } from '@mpqcht/protocol';
import { PowAborted, type PowProgress } from '@mpqcht/protocol-client';

import type { PowWorkerReply, PowWorkerRequest } from './pow-worker-messages';

/** The part of a `Worker` the solver uses (unit tests give a fake). */
export interface PowWorker {
  onmessage: ((event: MessageEvent<PowWorkerReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(request: PowWorkerRequest): void;
  terminate(): void;
}

/** Loads the worker's module (a lazy chunk) and starts a worker. */
export const loadPowWorker = (): Promise<PowWorker> =>
  import('./pow-worker-start').then((module) => module.startPowWorker());

/**
 * Solves one challenge in a worker of its own, off the page's thread, and reports its progress. The
 * worker is terminated once it answered, failed, or `signal` aborted (the server was removed, the
 * person logged out): then the promise rejects with `PowAborted`.
 */
export async function solveInWorker(
  createWorker: () => Promise<PowWorker>,
  challenge: PowChallengeDto,
  onProgress: (progress: PowProgress) => void,
  signal: AbortSignal,
): Promise<PowProof> {
  if (signal.aborted) throw new PowAborted();
  const bytes = hexToBytes(challenge.challenge);
  if (!bytes) throw new Error('the server sent a malformed proof-of-work challenge');
  const worker = await createWorker();
  return new Promise<PowProof>((resolve, reject) => {
    const finish = () => {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      signal.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      finish();
      reject(new PowAborted());
    };
    if (signal.aborted) {
      aborted();
      return;
    }
    signal.addEventListener('abort', aborted, { once: true });
    const { effort } = challenge;
    worker.onmessage = ({ data }) => {
      if (data.kind === 'progress') {
        onProgress({ tried: data.tried, effort });
        return;
      }
      finish();
      if (data.kind === 'solved')
        resolve({ challenge: challenge.challenge, solution: bytesToHex(data.solution) });
      else reject(new Error(data.message));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || 'the proof-of-work worker failed'));
    };
    // A random high half of the solution, as the library's own solver picks.
    const high = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    worker.postMessage({ challenge: bytes, effort, high });
  });
}
