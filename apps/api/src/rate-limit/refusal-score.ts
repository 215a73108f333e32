/** Points a refused request adds to its socket's score. */
const POINTS_PER_REFUSAL = 1;
/** Points the score loses per second: a client refused now and then never builds one up. */
const DECAY_PER_SECOND = 2;
/** From this score on, every request of the socket costs `SLOWED_COST` tokens instead of one. */
export const SLOW_FROM_SCORE = 10;
/** What a request of a slowed socket takes from its key's budget. */
export const SLOWED_COST = 4;
/** Beyond this score the socket is disconnected (`session.ended`, reason `flooding`). */
export const DISCONNECT_ABOVE_SCORE = 300;

/**
 * How much a socket has been refused lately: a leaky counter, so a connection that keeps sending
 * what is refused (forbidden, hidden, unknown, malformed or over its budget) is first slowed, then
 * disconnected, while an occasional refusal costs nothing. Kept per socket, in the process that
 * holds the socket. `now` is in milliseconds.
 */
export class RefusalScore {
  private score = 0;
  private at = 0;

  /** Records a refusal; true when the socket should now be disconnected. */
  add(now: number): boolean {
    this.score = this.current(now) + POINTS_PER_REFUSAL;
    this.at = now;
    return this.score > DISCONNECT_ABOVE_SCORE;
  }

  /** Whether the socket's requests currently cost `SLOWED_COST`. */
  isSlowed(now: number): boolean {
    return this.current(now) >= SLOW_FROM_SCORE;
  }

  private current(now: number): number {
    if (this.score === 0) return 0;
    return Math.max(0, this.score - ((now - this.at) * DECAY_PER_SECOND) / 1000);
  }
}
