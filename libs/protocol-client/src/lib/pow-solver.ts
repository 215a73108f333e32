import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import type { PowChallengeDto, PowProof } from '@mpqcht/protocol';
// Values from the zod-free entry: the web client's bundle must not carry the schemas.
import { POW_CHALLENGE_BYTES, readPowChallenge } from '@mpqcht/protocol/plain';

import { powSlices } from './pow-search';

/** How far a solver got: `tried` hashes, against `effort` expected (it may take more, or fewer). */
export interface PowProgress {
  readonly tried: number;
  readonly effort: number;
}

/** Solves a challenge, wherever it runs (in a worker, another thread, or here). */
export type PowSolver = (
  challenge: PowChallengeDto,
  onProgress?: (progress: PowProgress) => void,
) => Promise<PowProof>;

export class PowAborted extends Error {
  constructor() {
    super('proof-of-work aborted');
    this.name = 'PowAborted';
  }
}

export interface SolvePowOptions {
  readonly onProgress?: (progress: PowProgress) => void;
  readonly signal?: AbortSignal;
  /** Hashes per slice between progress reports and yields to the event loop. */
  readonly slice?: number;
}

/**
 * Finds a solution for a published challenge, in slices that yield to the event loop (so a worker
 * can still hear `abort`). Run it off the page's main thread: it takes `effort` hashes on average.
 */
export async function solvePow(dto: PowChallengeDto, options: SolvePowOptions = {}): Promise<PowProof> {
  const challenge = hexToBytes(dto.challenge);
  if (!challenge || challenge.length !== POW_CHALLENGE_BYTES) {
    throw new Error('the server sent a malformed proof-of-work challenge');
  }
  // The effort that counts is the one the server signed into the challenge (bytes 1-4).
  const effort = readPowChallenge(challenge)?.effort ?? dto.effort;
  if (options.signal?.aborted) throw new PowAborted();
  for (const step of powSlices(challenge, effort, { slice: options.slice ?? 20_000 })) {
    if (step.kind === 'solved') {
      options.onProgress?.({ tried: effort, effort });
      return { challenge: dto.challenge, solution: bytesToHex(step.solution) };
    }
    options.onProgress?.({ tried: step.tried, effort });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (options.signal?.aborted) throw new PowAborted();
  }
  // Not reached: powSlices ends only after the solution.
  throw new Error('the proof-of-work search ended without a solution');
}
