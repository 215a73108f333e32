import { RequestFailed } from '../connection/request-failed';

function limitOf(details: Record<string, unknown> | undefined): string {
  const max = details?.['max'];
  return typeof max === 'number' ? String(max) : 'unknown';
}

/** What a refused message request means, for people. */
export function describeRequestError(error: unknown): string {
  if (error instanceof RequestFailed) {
    switch (error.code) {
      case 'message_too_long':
        return `That message is too long (the limit is ${limitOf(error.details)} characters).`;
      case 'rate_limited':
        return `Slow down: you can send again in ${Math.ceil(Number(error.details?.['retryAfterMs'] ?? 1000) / 1000)} s.`;
      case 'forbidden':
        return 'You are not allowed to do that here.';
      case 'not_found':
        return 'That message no longer exists.';
      case 'offline':
        return 'You are offline; try again when the connection is back.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
