import type { ErrorCode, ProtocolErrorBody } from '@mpqcht/protocol';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  auth_malformed: 400,
  forbidden: 403,
  pow_required: 403,
  pow_invalid: 403,
  pow_expired: 403,
  pow_replayed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  database_unavailable: 503,
  server_restarting: 503,
  internal_error: 500,
};

/**
 * The one error type services throw. The exception filter turns it into the error envelope for
 * acks and HTTP responses alike; `code` is the stable contract, `message` is for people.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code] ?? 400;
  }

  toBody(): ProtocolErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}
