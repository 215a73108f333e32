import { RequestFailed } from '../connection/request-failed';

/** A moderation or admin request's refusal, for people (shown inline where it was made). */
export function describeModerationError(error: unknown): string {
  if (error instanceof RequestFailed) {
    const missing = error.details?.['missing'];
    switch (error.code) {
      case 'forbidden':
        return Array.isArray(missing) && missing.length > 0
          ? `Not allowed: you lack ${missing.join(', ')}.`
          : 'You are not allowed to do that.';
      case 'not_found':
        return 'That member is no longer here.';
      case 'rate_limited':
        return `Too fast: try again in ${Math.ceil(Number(error.details?.['retryAfterMs'] ?? 1000) / 1000)} s.`;
      case 'offline':
        return 'You are offline; try again when the connection is back.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
