/**
 * The proof-of-work search, in a worker thread (pow-thread.ts starts it): the slices of
 * `powSlices`, a progress message after each, the solution at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import { type PowChallengeDto, readPowChallenge } from '@mpqcht/protocol';
import { powSlices } from '@mpqcht/protocol-client/pow';

const SLICE = 50_000;

const dto = workerData as PowChallengeDto;
const challenge = hexToBytes(dto.challenge) ?? new Uint8Array();
// The effort the server signed into the challenge is the one that counts.
const effort = readPowChallenge(challenge)?.effort ?? dto.effort;
for (const step of powSlices(challenge, effort, { slice: SLICE })) {
  parentPort?.postMessage(
    step.kind === 'solved' ? { solution: bytesToHex(step.solution) } : { tried: step.tried },
  );
}
