import { Inject, Injectable } from '@nestjs/common';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { type BucketSpec, RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { rateLimited, STORE_DOWN_RETRY_MS } from './rate-limited';

/** Refusals that say nothing about the caller: they do not count as failed logins. */
const NOT_FAILURES: ReadonlySet<string> = new Set(['internal_error', 'database_unavailable', 'rate_limited']);

/**
 * Per-IP limit on failed logins: `failed_logins_per_minute` failures per address, as a bucket of
 * that size refilled over a minute. Every refused login takes a token; once none is left, the next
 * handshake from that address is refused with `rate_limited` before its proof is even read (no
 * nonce is consumed, no signature checked). Fails closed when the store is unreachable.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  /** Runs `attempt` unless `ip` has used up its failures; a refusal (ProtocolError) counts as one. */
  async guard<T>(ip: string, attempt: () => Promise<T>): Promise<T> {
    const key = `ip:login:${ip}`;
    const decision = await Promise.resolve(this.store.take(key, this.bucket(0))).catch(() => {
      throw rateLimited(STORE_DOWN_RETRY_MS, 'the rate limiter is unavailable');
    });
    if (!decision.allowed)
      throw rateLimited(decision.retryAfterMs, 'too many failed logins from this address');
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof ProtocolError && !NOT_FAILURES.has(error.code)) {
        await Promise.resolve(this.store.take(key, this.bucket(1))).catch(() => undefined);
      }
      throw error;
    }
  }

  private bucket(cost: number): BucketSpec {
    const perMinute = this.config.current.ipLimits.failedLoginsPerMinute;
    return { capacity: perMinute, refillPerSecond: perMinute / 60, cost };
  }
}
