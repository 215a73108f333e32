/**
 * Stable error codes. Clients branch on `code`; `message` is for people and may change.
 * docs/protocol.md lists when each one is returned.
 */
export const ERROR_CODES = [
  // Handshake (Socket.IO `connect_error`, `err.data.code`) and POST /api/auth/challenge
  'auth_malformed',
  'invalid_public_key',
  'signature_malformed',
  'signature_invalid',
  'challenge_unknown',
  'challenge_expired',
  'not_a_member',
  'banned',
  'invite_invalid',
  'too_many_connections',
  // Proof-of-work (POST /api/auth/challenge); each carries a fresh challenge in details.pow
  'pow_required',
  'pow_invalid',
  'pow_expired',
  'pow_replayed',
  // Requests
  'validation_failed',
  'unknown_event',
  'not_joined',
  'already_joined',
  'display_name_taken',
  'forbidden',
  'not_found',
  'message_too_long',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'not_voice_channel',
  'voice_full',
  'not_in_voice',
  'database_unavailable',
  'server_restarting',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** Every acknowledgement and every HTTP response body has this shape. */
export type Envelope<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ProtocolErrorBody };
