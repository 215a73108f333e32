import type { Observable } from 'rxjs';

import { ProtocolError } from '../common/protocol-error';
import type { RateDecision } from './rate-limit-store';

/** What a refused request is told to wait while the store (Redis) is unreachable. */
export const STORE_DOWN_RETRY_MS = 1000;

export function rateLimited(retryAfterMs: number, what = 'too many requests'): ProtocolError {
  return new ProtocolError('rate_limited', `${what}; retry in ${retryAfterMs} ms`, { retryAfterMs });
}

/**
 * Runs `proceed` if the decision allows it and throws `rate_limited` otherwise. A synchronous
 * decision (the in-memory store) stays synchronous; a store that fails (Redis unreachable) refuses
 * with `rate_limited` unless `failOpen` (reads).
 */
export function enforce<T>(
  decision: RateDecision | Promise<RateDecision>,
  failOpen: boolean,
  proceed: () => Observable<T>,
  what?: string,
): Observable<T> | Promise<Observable<T>> {
  if (!(decision instanceof Promise)) {
    if (decision.allowed) return proceed();
    throw rateLimited(decision.retryAfterMs, what);
  }
  return decision.then(
    (settled) => {
      if (settled.allowed) return proceed();
      throw rateLimited(settled.retryAfterMs, what);
    },
    () => {
      if (failOpen) return proceed();
      throw rateLimited(STORE_DOWN_RETRY_MS, 'the rate limiter is unavailable');
    },
  );
}
