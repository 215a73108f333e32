import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { AppConfig } from '../config/app-config';

/** Seconds of arrivals the rate is averaged over. */
const WINDOW_SECONDS = 5;
const TICK_MS = 1000;

/**
 * The effort challenge issuance asks for now, from the rate of challenge requests without a login
 * pass in this process (`[pow]`, docs/configuration.md). After a second with more than
 * `raise_above` it starts at `initial_effort`, and doubles after every such second; after
 * `calm_seconds` averaging below `lower_below` a second it halves, down to 0. Every request is counted, with or without a proof: a flood of requests the server
 * refuses cheaply is still a flood, and lowering the effort for it would only invite it back.
 */
@Injectable()
export class PowDifficulty implements OnModuleInit, OnModuleDestroy {
  private readonly buckets = new Array<number>(WINDOW_SECONDS).fill(0);
  private current = 0;
  private effort = 0;
  private calmSince: number | null = null;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.ticker = setInterval(() => {
      this.tick(Date.now());
    }, TICK_MS);
    this.ticker.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
  }

  /** The effort a proof must meet now; 0 means none is needed. */
  get required(): number {
    const settings = this.config.current.pow;
    // max_effort may have been lowered live since the last tick.
    return settings.enabled ? Math.min(this.effort, settings.maxEffort) : 0;
  }

  /** Requests a second, averaged over the last few seconds. */
  rate(): number {
    return this.buckets.reduce((sum, n) => sum + n, 0) / WINDOW_SECONDS;
  }

  /** One challenge request without a login pass. */
  record(): void {
    this.buckets[this.current] = (this.buckets[this.current] ?? 0) + 1;
  }

  /** Once a second: adjust the effort to the last few seconds' rate, then start a new second. */
  tick(now: number): void {
    const settings = this.config.current.pow;
    // Raising follows the last second (a flood is met within a second, and once proofs slow it
    // down the doubling stops at once); lowering follows the last few (one quiet second is no calm).
    const lastSecond = this.buckets[this.current] ?? 0;
    if (!settings.enabled) {
      this.effort = 0;
      this.calmSince = null;
    } else if (lastSecond > settings.raiseAbove) {
      this.effort = Math.min(settings.maxEffort, Math.max(settings.initialEffort, this.effort * 2));
      this.calmSince = null;
    } else if (this.effort > 0 && this.rate() < settings.lowerBelow) {
      this.effort = Math.min(this.effort, settings.maxEffort);
      this.calmSince ??= now;
      if (now - this.calmSince >= settings.calmMs) {
        const halved = Math.floor(this.effort / 2);
        this.effort = halved < settings.initialEffort ? 0 : halved;
        this.calmSince = now;
      }
    } else {
      this.calmSince = null;
    }
    this.current = (this.current + 1) % WINDOW_SECONDS;
    this.buckets[this.current] = 0;
  }
}
