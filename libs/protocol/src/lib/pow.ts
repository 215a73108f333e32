import { sha256 } from '@noble/hashes/sha2.js';

/**
 * Proof-of-work (docs/protocol.md, "Proof of work"). The server hands out a challenge it signed; a
 * solution is 8 bytes such that `u32(SHA-256(challenge ‖ solution)[0..4]) × effort ≤ 2³² − 1`, so
 * `effort` is the expected number of hashes (Tor's onion-service scale). Only the format and the
 * check live here; the server signs and verifies with node:crypto, clients solve in a worker.
 */
export const POW_ALGORITHM = 'sha256-u32-v1';
export const POW_VERSION = 1;
/** version (1) ‖ effort (u32 BE) ‖ expiry (u32 BE, Unix seconds) ‖ id (16) ‖ MAC (16). */
export const POW_CHALLENGE_BYTES = 41;
/** The signed part: everything before the MAC. */
export const POW_SIGNED_BYTES = 25;
export const POW_SOLUTION_BYTES = 8;
export const POW_EFFORT_CEILING = 0xffff_ffff;

export interface PowChallengeFields {
  readonly effort: number;
  /** Unix seconds. */
  readonly expiresAt: number;
  readonly id: Uint8Array;
  readonly mac: Uint8Array;
}

/** Reads a challenge's fields; null unless it is 41 bytes of version 1. Says nothing of its MAC. */
export function readPowChallenge(bytes: Uint8Array): PowChallengeFields | null {
  if (bytes.length !== POW_CHALLENGE_BYTES || bytes[0] !== POW_VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    effort: view.getUint32(1),
    expiresAt: view.getUint32(5),
    id: bytes.subarray(9, 25),
    mac: bytes.subarray(25, 41),
  };
}

/** The signed part of a challenge: version, effort, expiry and id, as the MAC covers them. */
export function writePowSignedPart(effort: number, expiresAt: number, id: Uint8Array): Uint8Array {
  const out = new Uint8Array(POW_SIGNED_BYTES);
  const view = new DataView(out.buffer);
  out[0] = POW_VERSION;
  view.setUint32(1, effort);
  view.setUint32(5, expiresAt);
  out.set(id.subarray(0, 16), 9);
  return out;
}

/** The largest hash prefix (u32) that counts at `effort`: R × effort ≤ 2³² − 1. */
export function powTarget(effort: number): number {
  return effort <= 1 ? POW_EFFORT_CEILING : Math.floor(POW_EFFORT_CEILING / effort);
}

/** Whether a hash's first four bytes (big-endian) meet `effort`. */
export function meetsEffort(hash: Uint8Array, effort: number): boolean {
  const prefix =
    (hash[0] ?? 0) * 0x1_00_00_00 + ((hash[1] ?? 0) << 16) + ((hash[2] ?? 0) << 8) + (hash[3] ?? 0);
  return prefix <= powTarget(effort);
}

/** SHA-256(challenge ‖ solution): the reference the server's and the solvers' hashes must equal. */
export function powHash(challenge: Uint8Array, solution: Uint8Array): Uint8Array {
  const input = new Uint8Array(challenge.length + solution.length);
  input.set(challenge);
  input.set(solution, challenge.length);
  return sha256(input);
}
