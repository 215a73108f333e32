/**
 * The proof-of-work search, in a worker thread (pow-thread.ts starts it): slices of `searchPow`,
 * a progress message after each, the solution at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import type { PowChallengeDto } from '@mpqcht/protocol';
import { searchPow } from '@mpqcht/protocol-client';

const SLICE = 50_000;

const dto = workerData as PowChallengeDto;
const challenge = hexToBytes(dto.challenge) ?? new Uint8Array();
const high = Math.floor(Math.random() * 0x1_0000_0000);
for (let tried = 0; ; tried += SLICE) {
  const solution = searchPow(challenge, dto.effort, high, tried, SLICE);
  if (solution) {
    parentPort?.postMessage({ solution: bytesToHex(solution) });
    break;
  }
  parentPort?.postMessage({ tried: tried + SLICE });
}
