/** The pow part's floods (docs/performance.md, "Proof of work"), and what the flood process reports. */
import type { Counts } from '../ipc';

/**
 * bare: `POST /api/auth/challenge` without a body (no proof); wrong-solution: the server's current
 * challenge (`GET /api/auth/pow`) with a solution that misses its effort; forged-mac: that
 * challenge with a forged MAC; valid: what the server asks, as fast as one core can (no body while
 * the effort is 0, else the solved challenge of the refusal); pass: a member's login pass, which
 * skips the proof and is not counted: every request issues a nonce, the action the proof protects.
 */
export const FLOOD_KINDS = ['bare', 'wrong-solution', 'forged-mac', 'valid', 'pass'] as const;
export type FloodKind = (typeof FLOOD_KINDS)[number];

export interface FloodStats {
  /** Requests written, and answered (any status). */
  readonly sent: number;
  readonly answered: number;
  /** Answers by error code (`nonce` for a 200 with a nonce). */
  readonly codes: Counts;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** valid: challenges solved, and the hashes that took. */
  readonly solved: number;
  readonly hashes: number;
}

export interface FloodStart {
  readonly kind: FloodKind;
  readonly port: number;
  /** Connections, one request in flight on each. */
  readonly lanes: number;
  /** pass: the login pass to show. */
  readonly pass?: string;
}

export type FloodRequest =
  | { readonly id: number; readonly command: 'start'; readonly args: FloodStart }
  | { readonly id: number; readonly command: 'stats' | 'stop' };

export interface FloodResponse {
  readonly id: number;
  readonly stats?: FloodStats;
  readonly error?: string;
}
