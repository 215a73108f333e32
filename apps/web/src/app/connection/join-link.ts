import { serverOrigin } from './server-address';

/** An invite code as servers make them: base64url, at least 16 bytes. */
const INVITE_CODE = /^[A-Za-z0-9_-]{22,128}$/;

/** The web client's link for an invite code: `/join/<server origin, URL-encoded>/<code>`. */
export function inviteLink(clientOrigin: string, serverUrl: string, code: string): string {
  return `${clientOrigin}/join/${encodeURIComponent(serverUrl)}/${code}`;
}

/** What a join link names: the server's origin and the invite code; null when it is not a join link. */
export function parseJoinLink(
  server: string | null,
  code: string | null,
): { origin: string; code: string } | null {
  const origin = server === null ? null : serverOrigin(server);
  if (!origin || code === null || !INVITE_CODE.test(code)) return null;
  return { origin, code };
}

/** The join link a path names (`/join/<server>/<code>`, as the router gives it), or null. */
export function parseJoinPath(path: string): { origin: string; code: string } | null {
  const match = /^\/join\/([^/?#]+)\/([^/?#]+)$/.exec(path);
  if (!match) return null;
  try {
    return parseJoinLink(decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? ''));
  } catch {
    return null;
  }
}
