/**
 * The proof-of-work search, in a worker thread (pow-thread.ts starts it): slices of `searchPow`,
 * a progress message after each, the solution at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import { type PowChallengeDto, readPowChallenge } from '@mpqcht/protocol';
import { searchPow } from '@mpqcht/protocol-client';

const SLICE = 50_000;

const dto = workerData as PowChallengeDto;
const challenge = hexToBytes(dto.challenge) ?? new Uint8Array();
// The effort the server signed into the challenge is the one that counts.
const effort = readPowChallenge(challenge)?.effort ?? dto.effort;
let high = Math.floor(Math.random() * 0x1_0000_0000);
for (let tried = 0; ; tried += SLICE) {
  const start = tried % 0x1_0000_0000;
  // A new high half whenever the low half wraps: the search never repeats itself.
  if (tried > 0 && start < SLICE) high = Math.floor(Math.random() * 0x1_0000_0000);
  const solution = searchPow(challenge, effort, high, start, SLICE);
  if (solution) {
    parentPort?.postMessage({ solution: bytesToHex(solution) });
    break;
  }
  parentPort?.postMessage({ tried: tried + SLICE });
}
