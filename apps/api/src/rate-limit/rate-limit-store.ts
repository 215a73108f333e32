/** What a limiter answers: go ahead, or wait `retryAfterMs` first. */
export interface RateDecision {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise how long until the same request would be allowed. */
  readonly retryAfterMs: number;
}

/** A token bucket: `capacity` tokens at most, `refillPerSecond` regained, `cost` taken per request. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /**
   * Tokens this request takes. `0` only asks: allowed while at least one token is left, and
   * nothing is taken (used to refuse a login before the attempt once failures used the budget up).
   */
  readonly cost: number;
}

/** The one allowed decision, shared so the common path allocates nothing. */
export const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterMs: 0 });

export function refused(retryAfterMs: number): RateDecision {
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) };
}

/**
 * Where buckets live: in this process (the default) or in Redis (`REDIS_URL`), shared by every api
 * process of a community. Each operation is atomic. A store that cannot answer (Redis unreachable)
 * rejects with `RateLimitStoreUnavailable`; callers decide whether that fails open or closed.
 * The in-memory store answers synchronously, so the hot path makes no promise.
 */
export interface RateLimitStore {
  take(key: string, bucket: BucketSpec): RateDecision | Promise<RateDecision>;
  /** At most one request per `intervalMs` for `key`; an allowed request starts the next interval. */
  slowmode(key: string, intervalMs: number): RateDecision | Promise<RateDecision>;
  /**
   * Marks `key` spent for `ttlMs`: `spent` the first time, `again` while it is remembered. A live
   * entry is never forgotten early; a store too full to remember one more answers `full`
   * (callers refuse: a proof-of-work that cannot be remembered could be replayed).
   */
  spend(key: string, ttlMs: number): SpendResult | Promise<SpendResult>;
}

export type SpendResult = 'spent' | 'again' | 'full';

/** The Nest token the store is provided under. */
export const RATE_LIMIT_STORE = Symbol('RateLimitStore');

export class RateLimitStoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the rate-limit store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RateLimitStoreUnavailable';
  }
}
