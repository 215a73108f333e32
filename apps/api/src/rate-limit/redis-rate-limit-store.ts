import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { default as Redis, RedisOptions } from 'ioredis';

import {
  ALLOWED,
  type BucketSpec,
  type RateDecision,
  type RateLimitStore,
  RateLimitStoreUnavailable,
  refused,
  type SpendResult,
} from './rate-limit-store';
import { SLOWMODE_SCRIPT, TAKE_SCRIPT } from './redis-scripts';

interface ScriptCommands {
  mpqchtTake(key: string, capacity: number, rate: number, cost: number): Promise<[number, number]>;
  mpqchtSlowmode(key: string, intervalMs: number): Promise<number>;
}

const WARN_EVERY_MS = 10_000;

const REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  connectTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
};

/**
 * Buckets in Redis, shared by every api process pointed at it (`REDIS_URL`). Commands are not
 * queued while Redis is unreachable: they fail at once (or after `commandTimeout`), and the callers
 * fail closed for writes (docs/operations.md).
 */
export class RedisRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis & ScriptCommands;
  private lastWarning = 0;

  /** ioredis is loaded only here, so a process without `REDIS_URL` does not carry it (idle RSS). */
  static async connect(url: string, prefix: string): Promise<RedisRateLimitStore> {
    const { default: RedisClient } = await import('ioredis');
    return new RedisRateLimitStore(new RedisClient(url, REDIS_OPTIONS), prefix);
  }

  private constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('mpqchtTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    redis.defineCommand('mpqchtSlowmode', { numberOfKeys: 1, lua: SLOWMODE_SCRIPT });
    redis.on('error', (error: Error) => {
      this.warn(`Redis: ${error.message}`);
    });
    this.redis = redis as Redis & ScriptCommands;
  }

  async take(key: string, spec: BucketSpec): Promise<RateDecision> {
    try {
      const [allowed, retry] = await this.redis.mpqchtTake(
        this.prefix + 'b:' + key,
        spec.capacity,
        spec.refillPerSecond,
        spec.cost,
      );
      return allowed === 1 ? ALLOWED : refused(retry);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async slowmode(key: string, intervalMs: number): Promise<RateDecision> {
    if (intervalMs <= 0) return ALLOWED;
    try {
      const left = await this.redis.mpqchtSlowmode(this.prefix + 's:' + key, Math.ceil(intervalMs));
      return left === 0 ? ALLOWED : refused(left);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** `SET NX PX`: atomic across processes; Redis keeps a key with a TTL until it expires (set
   * `maxmemory-policy` to `volatile-ttl` or `noeviction`, never `allkeys-*`, docs/operations.md). */
  async spend(key: string, ttlMs: number): Promise<SpendResult> {
    try {
      const set = await this.redis.set(
        this.prefix + 'p:' + key,
        '1',
        'PX',
        Math.max(1, Math.ceil(ttlMs)),
        'NX',
      );
      return set === 'OK' ? 'spent' : 'again';
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private unavailable(error: unknown): RateLimitStoreUnavailable {
    const wrapped = new RateLimitStoreUnavailable(error);
    this.warn(wrapped.message);
    return wrapped;
  }

  /** At most one warning per WARN_EVERY_MS, so an outage does not flood the log. */
  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(`${message} (writes are refused with rate_limited until it is back)`);
  }
}
