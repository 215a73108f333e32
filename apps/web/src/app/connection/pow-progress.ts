import type { PowProgress } from '@mpqcht/protocol-client';

/** A proof-of-work being solved for a login, as the page shows it. */
export interface ProofOfWork {
  /** Hashes the server expects it to take. */
  readonly effort: number;
  /** 0 to 99. */
  readonly percent: number;
}

/**
 * How far along a proof is, in per cent. `effort` is the expected number of hashes, not a bound: a
 * solution may come much sooner or take several times longer, so this stays below 100 until the
 * proof is done (the indication then goes away) and never claims more than it knows.
 */
export function powPercent({ tried, effort }: PowProgress): number {
  if (effort <= 0) return 0;
  return Math.max(0, Math.min(99, Math.floor((tried / effort) * 100)));
}
