import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { PowChallengeDto, PowProof } from '@mpqcht/protocol';
import type { PowProgress } from '@mpqcht/protocol-client';

/**
 * Solves a proof-of-work challenge in a worker thread, so the CLI's own thread keeps its sockets
 * and timers. The CLI runs under tsx, and a worker does not inherit tsx's loader: the worker is
 * started from a line of JavaScript that registers tsx first, then loads pow-worker.ts.
 */
export function solveInWorkerThread(
  dto: PowChallengeDto,
  onProgress?: (progress: PowProgress) => void,
  signal?: AbortSignal,
): Promise<PowProof> {
  // Resolved here: the worker's own `require` would look from the current directory, not the CLI's.
  const boot =
    `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register({ tsconfig: ${JSON.stringify(path.join(__dirname, '..', 'tsconfig.json'))} });` +
    `require(${JSON.stringify(path.join(__dirname, 'pow-worker.ts'))});`;
  const worker = new Worker(boot, { eval: true, workerData: dto });
  return new Promise<PowProof>((resolve, reject) => {
    worker.on('message', (message: { tried?: number; solution?: string }) => {
      if (message.solution !== undefined) {
        onProgress?.({ tried: dto.effort, effort: dto.effort });
        resolve({ challenge: dto.challenge, solution: message.solution });
        void worker.terminate();
      } else if (message.tried !== undefined) {
        onProgress?.({ tried: message.tried, effort: dto.effort });
      }
    });
    worker.on('error', reject);
    signal?.addEventListener('abort', () => {
      reject(new Error('proof-of-work aborted'));
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      reject(new Error(`the proof-of-work thread exited (${code}) without a solution`));
    });
  });
}
