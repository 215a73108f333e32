/**
 * Proofs-of-work as the pow part's clients make them (docs/protocol.md, "Proof of work"): solved
 * natively (node:crypto, the fastest a Node attacker or CLI gets), in slices so a process can
 * keep its sockets served; and the flood's invalid ones: a genuine challenge with a solution that
 * misses its effort, and a challenge whose MAC is forged.
 */
import { hash, randomBytes } from 'node:crypto';

import { meetsEffort, POW_SIGNED_BYTES, POW_SOLUTION_BYTES, type PowProof } from '@mpqcht/protocol';

/** A search in progress: `next(count)` tries `count` more solutions. */
export interface PowSearch {
  /** The proof once found, else null after `count` more tries. */
  next(count: number): PowProof | null;
  /** Hashes tried so far. */
  readonly tried: number;
}

/** Counts up from a random start (the high half random too), as the reference solvers do. */
export function powSearch(challengeHex: string, effort: number): PowSearch {
  const challenge = Buffer.from(challengeHex, 'hex');
  const input = Buffer.alloc(challenge.length + POW_SOLUTION_BYTES);
  challenge.copy(input);
  randomBytes(4).copy(input, challenge.length);
  const low = challenge.length + 4;
  let counter = randomBytes(4).readUInt32BE(0);
  let tried = 0;
  return {
    get tried() {
      return tried;
    },
    next(count) {
      for (let i = 0; i < count; i++) {
        input.writeUInt32BE(counter, low);
        counter = (counter + 1) >>> 0;
        tried += 1;
        if (meetsEffort(hash('sha256', input, 'buffer'), effort)) {
          return { challenge: challengeHex, solution: input.toString('hex', challenge.length) };
        }
      }
      return null;
    },
  };
}

/** Hashes per slice between yields to the event loop (a few ms on the development VM). */
export const SOLVE_SLICE = 4_000;

/** Solves in slices, yielding between them; `tried` is how many hashes it took. */
export async function solveSliced(
  challengeHex: string,
  effort: number,
  running: () => boolean = () => true,
): Promise<{ proof: PowProof | null; tried: number }> {
  const search = powSearch(challengeHex, effort);
  for (;;) {
    const proof = search.next(SOLVE_SLICE);
    if (proof || !running()) return { proof, tried: search.tried };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A solution for a genuine challenge that does not meet `effort` (the server hashes it to find
 * out); `seed` varies it from request to request. Effort 0 or 1 accepts anything: null then.
 */
export function wrongSolution(challengeHex: string, effort: number, seed: number): PowProof | null {
  if (effort <= 1) return null;
  const challenge = Buffer.from(challengeHex, 'hex');
  const input = Buffer.alloc(challenge.length + POW_SOLUTION_BYTES);
  challenge.copy(input);
  for (let i = 0; ; i++) {
    input.writeUInt32BE(seed >>> 0, challenge.length);
    input.writeUInt32BE(i, challenge.length + 4);
    if (!meetsEffort(hash('sha256', input, 'buffer'), effort)) {
      return { challenge: challengeHex, solution: input.toString('hex', challenge.length) };
    }
  }
}

/** The same challenge with its MAC (bytes 25–40) replaced by `seed`-derived bytes it is not. */
export function forgedMac(challengeHex: string, seed: number): string {
  const challenge = Buffer.from(challengeHex, 'hex');
  const mac = hash('sha256', `forged:${seed}`, 'buffer').subarray(0, challenge.length - POW_SIGNED_BYTES);
  if (mac.equals(challenge.subarray(POW_SIGNED_BYTES))) mac[0] = (mac[0] ?? 0) ^ 1;
  mac.copy(challenge, POW_SIGNED_BYTES);
  return challenge.toString('hex');
}
