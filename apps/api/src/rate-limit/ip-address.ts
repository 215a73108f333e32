import type { IncomingMessage } from 'node:http';

/**
 * The peer's address as the socket sees it. X-Forwarded-For is not trusted: behind a reverse proxy
 * every client shares the proxy's address (docs/operations.md).
 */
export function remoteAddress(request: Pick<IncomingMessage, 'socket'>): string {
  return request.socket.remoteAddress ?? 'unknown';
}
