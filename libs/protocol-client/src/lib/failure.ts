import type { ErrorCode } from '@mpqcht/protocol';

/**
 * A code the server sent. Usually one of this build's `ErrorCode`s, but a newer server may send
 * one this client does not know yet, and comparing with the known ones must still work.
 */
export type FailureCode = ErrorCode | (string & Record<never, never>);

/** The server refused: an error envelope of an ack or an HTTP answer, or a handshake refusal. */
export class ProtocolFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ProtocolFailure';
  }

  /** How long the server asks to wait (`details.retryAfterMs`), if it says. */
  get retryAfterMs(): number | undefined {
    const value = this.details?.['retryAfterMs'];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `{ ok: false, error: { code, message, details? } }` from a body nothing vouches for (an
 * HTTP answer, a `connect_error`'s data), or undefined when the body is not an error envelope.
 */
export function envelopeFailure(body: unknown): ProtocolFailure | undefined {
  if (!isRecord(body) || body['ok'] !== false || !isRecord(body['error'])) return undefined;
  return errorBodyFailure(body['error']);
}

/** `connect_error` carries the error body (not an envelope) as `err.data`. */
export function handshakeFailure(error: unknown): ProtocolFailure | undefined {
  const data = isRecord(error) ? error['data'] : undefined;
  return isRecord(data) ? errorBodyFailure(data) : undefined;
}

function errorBodyFailure(error: Record<string, unknown>): ProtocolFailure | undefined {
  const code = error['code'];
  if (typeof code !== 'string') return undefined;
  const message = typeof error['message'] === 'string' ? error['message'] : code;
  const details = error['details'];
  return new ProtocolFailure(code, message, isRecord(details) ? details : undefined);
}
