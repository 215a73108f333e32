import { computed, signal } from '@angular/core';

/**
 * Counts down to a deadline (epoch ms) in whole seconds: a signal that an interval updates and
 * that stops by itself at 0. Starting it again replaces the deadline; `stop` ends it early.
 */
export class Countdown {
  private readonly remainingMs = signal(0);
  /** Whole seconds left, rounded up; 0 once the deadline has passed. */
  readonly seconds = computed(() => Math.ceil(this.remainingMs() / 1000));
  readonly running = computed(() => this.remainingMs() > 0);
  private timer: ReturnType<typeof setInterval> | null = null;
  private deadline = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly tickMs = 250,
  ) {}

  start(deadline: number | null): void {
    this.stop();
    this.deadline = deadline ?? 0;
    if (!this.tick()) return;
    this.timer = setInterval(() => {
      if (!this.tick()) this.stop();
    }, this.tickMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Updates the signal; false once nothing is left. */
  private tick(): boolean {
    const left = Math.max(0, this.deadline - this.now());
    this.remainingMs.set(left);
    return left > 0;
  }
}
