import type { ErrorCode } from '@mpqcht/protocol';

import { ServerUnreachable } from './server-http';

/** A request's refusal, with the server's stable code. */
export class RequestFailed extends Error {
  constructor(
    readonly code: ErrorCode | 'offline' | 'timeout',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The message of a failed request or fetch, for the status line. */
export function describeFailure(error: unknown): string {
  if (error instanceof RequestFailed || error instanceof ServerUnreachable) return error.message;
  return error instanceof Error ? error.message : String(error);
}
