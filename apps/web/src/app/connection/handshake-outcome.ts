import { handshakeFailure, OriginMismatch, ProtocolFailure } from '@mpqcht/protocol-client';

/** What a connection does after a login attempt failed (docs/web-client.md, Logging in). */
export type HandshakeOutcome =
  /** Nothing to retry until something changes (an admin, the key, the address): the person acts. */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly note?: string }
  /** Sign a fresh challenge after `delayMs`; `rateLimited` when the server asked to wait. */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly rateLimited: boolean }
  /** Transport trouble: socket.io's manager reconnects by itself, with its backoff. */
  | { readonly kind: 'transport' };

/** The shortest wait before another attempt, so a failing server is not asked in a loop. */
const MIN_RETRY_MS = 1_000;

/** Refusals after which reconnecting cannot help until something changes (an admin, the key). */
const FINAL_REFUSALS = new Set([
  'not_a_member',
  'invalid_public_key',
  'signature_invalid',
  'auth_malformed',
  'signature_malformed',
  'banned',
  'invite_invalid',
  // The key holds the most connections the server allows: retrying would only use up challenges
  // until the member closes another tab or device, so they are asked to, and retry by hand.
  'too_many_connections',
]);

function retryAfter(failure: ProtocolFailure | undefined): HandshakeOutcome {
  return {
    kind: 'retry',
    // Too many attempts from here, or the database is away: wait as long as the server says.
    delayMs: Math.max(MIN_RETRY_MS, failure?.retryAfterMs ?? MIN_RETRY_MS),
    rateLimited: failure?.code === 'rate_limited',
  };
}

/** The server refused the handshake (`connect_error`), or the transport failed. */
export function connectErrorOutcome(error: Error): HandshakeOutcome {
  const failure = handshakeFailure(error);
  if (!failure) return { kind: 'transport' };
  if (FINAL_REFUSALS.has(failure.code)) {
    // A ban says why (docs/protocol.md, Logging in).
    const reason = failure.code === 'banned' ? failure.details?.['reason'] : undefined;
    return {
      kind: 'refused',
      code: failure.code,
      message: failure.message,
      ...(typeof reason === 'string' && reason ? { note: reason } : {}),
    };
  }
  // A challenge race (expired, used), a rate limit, the database away: sign a fresh one, later.
  return retryAfter(failure);
}

/** No login could be made for the handshake: the challenge failed, or names another origin. */
export function loginUnavailableOutcome(error: unknown): HandshakeOutcome {
  if (error instanceof OriginMismatch) {
    return {
      kind: 'refused',
      code: 'origin_mismatch',
      message: `this server says its address is ${error.claimed}; add it by that address`,
    };
  }
  // A 429 or 503 says how long to wait; an unreachable server is asked again soon.
  return retryAfter(error instanceof ProtocolFailure ? error : undefined);
}
