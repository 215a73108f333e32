import type { OnModuleDestroy } from '@nestjs/common';

import {
  ALLOWED,
  type BucketSpec,
  type RateDecision,
  type RateLimitStore,
  refused,
  type SpendResult,
} from './rate-limit-store';

interface Bucket {
  tokens: number;
  /** When `tokens` was last computed (ms, the store's clock). */
  at: number;
  capacity: number;
  refillPerSecond: number;
}

export interface MemoryStoreOptions {
  /** Milliseconds; injected by tests. */
  readonly now?: () => number;
  /** Most buckets (and, separately, slowmode windows) kept; the oldest is dropped beyond it. */
  readonly maxEntries?: number;
  /** Most spent keys kept; beyond it, and after dropping the expired ones, `spend` answers `full`. */
  readonly maxSpent?: number;
  /** How often idle entries are swept; 0 disables the timer (tests call `sweep()`). */
  readonly sweepIntervalMs?: number;
}

const DEFAULT_MAX_ENTRIES = 100_000;
/** About 100 bytes each: 20 MB at most, and every entry cost someone a proof-of-work. */
const DEFAULT_MAX_SPENT = 200_000;
const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/**
 * Buckets in this process: O(1) per operation, no allocation once a key's bucket exists. Memory
 * stays flat: a sweep drops buckets that have refilled completely (a fresh bucket is the same) and
 * slowmode windows that have ended, and a hard cap drops the oldest entry when a new key would
 * exceed it.
 */
export class MemoryRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly buckets = new Map<string, Bucket>();
  /** key -> the time from which the next request is allowed. */
  private readonly windows = new Map<string, number>();
  /** key -> when it may be forgotten. Never evicted early: see `spend`. */
  private readonly spent = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly maxSpent: number;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxSpent = options.maxSpent ?? DEFAULT_MAX_SPENT;
    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => {
        this.sweep();
      }, interval);
      this.timer.unref();
    }
  }

  take(key: string, spec: BucketSpec): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxEntries) this.dropOldest(this.buckets);
      bucket = {
        tokens: spec.capacity,
        at: now,
        capacity: spec.capacity,
        refillPerSecond: spec.refillPerSecond,
      };
      this.buckets.set(key, bucket);
    } else {
      // Limits may change live (roles, config.toml); the bucket follows them.
      bucket.capacity = spec.capacity;
      bucket.refillPerSecond = spec.refillPerSecond;
      const elapsed = now - bucket.at;
      if (elapsed > 0) {
        bucket.tokens = Math.min(spec.capacity, bucket.tokens + (elapsed * spec.refillPerSecond) / 1000);
        bucket.at = now;
      } else if (bucket.tokens > spec.capacity) {
        bucket.tokens = spec.capacity;
      }
    }
    const need = spec.cost > 0 ? spec.cost : 1;
    if (bucket.tokens >= need) {
      bucket.tokens -= spec.cost;
      return ALLOWED;
    }
    return refused(((need - bucket.tokens) * 1000) / spec.refillPerSecond);
  }

  slowmode(key: string, intervalMs: number): RateDecision {
    if (intervalMs <= 0) return ALLOWED;
    const now = this.now();
    const until = this.windows.get(key);
    if (until !== undefined && until > now) return refused(until - now);
    if (until === undefined && this.windows.size >= this.maxEntries) this.dropOldest(this.windows);
    this.windows.set(key, now + intervalMs);
    return ALLOWED;
  }

  spend(key: string, ttlMs: number): SpendResult {
    const now = this.now();
    const until = this.spent.get(key);
    if (until !== undefined && until > now) return 'again';
    if (until === undefined && this.spent.size >= this.maxSpent) {
      this.dropExpired(this.spent, now);
      if (this.spent.size >= this.maxSpent) return 'full';
    }
    this.spent.set(key, now + Math.max(1, ttlMs));
    return 'spent';
  }

  /** Drops full buckets and ended windows: forgetting them changes no answer. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) * bucket.refillPerSecond) / 1000;
      if (tokens >= bucket.capacity) this.buckets.delete(key);
    }
    this.dropExpired(this.windows, now);
    this.dropExpired(this.spent, now);
  }

  private dropExpired(map: Map<string, number>, now: number): void {
    for (const [key, until] of map) {
      if (until <= now) map.delete(key);
    }
  }

  /** Entries held (for tests and diagnostics). */
  size(): { buckets: number; windows: number; spent: number } {
    return { buckets: this.buckets.size, windows: this.windows.size, spent: this.spent.size };
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private dropOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
