import { Injectable } from '@nestjs/common';

import { rateLimited } from './rate-limited';

/** How long a key whose connection was ended for flooding is refused at the handshake. */
export const FLOOD_COOLDOWN_MS = 30_000;
/** Most keys remembered at once; the oldest is forgotten first. */
const MAX_KEYS = 10_000;

/**
 * Keys whose connection the RequestGate ended for flooding (`session.ended`, reason `flooding`),
 * refused at the handshake for FLOOD_COOLDOWN_MS: otherwise a flooder reconnects at once and floods
 * again, and the server pays a login on top of the refusals. Kept in this process, like the
 * refusal scores. Only an authenticated connection of the key can start its cooldown.
 */
@Injectable()
export class FloodCooldown {
  /** publicKey -> until when (ms) its handshakes are refused, oldest first. */
  private readonly until = new Map<string, number>();

  start(publicKey: string, now: number): void {
    this.until.delete(publicKey);
    if (this.until.size >= MAX_KEYS) {
      const oldest = this.until.keys().next();
      if (!oldest.done) this.until.delete(oldest.value);
    }
    this.until.set(publicKey, now + FLOOD_COOLDOWN_MS);
  }

  /** Throws `rate_limited` (with `retryAfterMs`) while the key cools down. */
  check(publicKey: string, now: number): void {
    const until = this.until.get(publicKey);
    if (until === undefined) return;
    if (until <= now) {
      this.until.delete(publicKey);
      return;
    }
    throw rateLimited(until - now, 'this key flooded the server and must wait before reconnecting');
  }
}
