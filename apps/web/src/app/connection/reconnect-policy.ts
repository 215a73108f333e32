/** The delays of reconnecting (docs/web-client.md, Reconnecting). */
export interface ReconnectTimings {
  /** The first attempt after the connection was lost waits between these two. */
  readonly firstMinMs: number;
  readonly firstMaxMs: number;
  /** The n-th attempt (n ≥ 2) waits at most `baseMs · 2^(n−2)`, never more than `maxMs`. */
  readonly baseMs: number;
  readonly maxMs: number;
  /**
   * After `server.restarting`, attempts wait at most `restartBoundMs` until `restartWindowMs` of
   * waiting have passed: the server is known to come back soon, and a failed attempt against a
   * port nobody listens on costs nothing.
   */
  readonly restartBoundMs: number;
  readonly restartWindowMs: number;
}

export const RECONNECT_TIMINGS: ReconnectTimings = {
  firstMinMs: 250,
  firstMaxMs: 750,
  baseMs: 1_000,
  maxMs: 30_000,
  restartBoundMs: 1_000,
  restartWindowMs: 20_000,
};

/** The attempt a policy scheduled: its number since the connection was lost, and its delay. */
export interface ScheduledAttempt {
  readonly attempt: number;
  readonly delayMs: number;
}

/**
 * When to try again after a lost connection or a failed attempt. The first attempt comes soon
 * (a restart announced by `server.restarting` takes about a second, and a dropped transport is
 * often back at once), jittered so that every client of a restarted server does not come back in
 * the same instant; while attempts keep failing the delay doubles, with full jitter (uniform
 * between the floor and the bound), up to 30 s, except during the first 20 s after an announced
 * restart, when it stays at most 1 s. A successful login resets it.
 */
export class ReconnectPolicy {
  private attempts = 0;
  /** The server announced a restart before the connection was lost. */
  private restart = false;
  /** What the attempts since the loss were scheduled to wait, in total. */
  private waitedMs = 0;
  /** Attempts made inside the restart window (the backoff starts after them). */
  private quick = 0;

  constructor(
    private readonly random: () => number = Math.random,
    readonly timings: ReconnectTimings = RECONNECT_TIMINGS,
  ) {}

  /** The longest the n-th attempt (1-based) is made to wait. */
  bound(attempt: number): number {
    if (attempt <= 1) return this.timings.firstMaxMs;
    return Math.min(this.timings.maxMs, this.timings.baseMs * 2 ** (attempt - 2));
  }

  /**
   * Schedules the next attempt. `atLeastMs` is a wait the server asked for (`retryAfterMs`) or
   * the longest wait while the browser says it has no network; it may exceed the bound.
   */
  next(atLeastMs = 0): ScheduledAttempt {
    this.attempts += 1;
    const inRestart = this.restart && this.attempts > 1 && this.waitedMs < this.timings.restartWindowMs;
    if (inRestart) this.quick += 1;
    const low = this.timings.firstMinMs;
    // After the restart window the backoff starts as if from a second attempt.
    const high = inRestart ? this.timings.restartBoundMs : this.bound(this.attempts - this.quick);
    const delayMs = Math.max(Math.round(low + this.random() * (high - low)), atLeastMs);
    this.waitedMs += delayMs;
    return { attempt: this.attempts, delayMs };
  }

  /** The server announced a restart (`server.restarting`): it will be back soon. */
  restarting(): void {
    this.restart = true;
  }

  /** Logged in again: the next loss starts over with a quick attempt. */
  reset(): void {
    this.attempts = 0;
    this.restart = false;
    this.waitedMs = 0;
    this.quick = 0;
  }
}
