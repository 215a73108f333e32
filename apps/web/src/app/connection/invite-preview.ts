import type { Envelope, InvitePreviewDto } from '@mpqcht/protocol';

/** What a server says about an invite code before anyone logs in (`GET /api/invites/:code`). */
export type InvitePreviewResult =
  | { readonly kind: 'valid'; readonly preview: InvitePreviewDto }
  /** Unknown, expired, revoked or used up (the server does not say which). */
  | { readonly kind: 'invalid' }
  /** The server could not be asked, or did not answer like an mpqcht server; `message` says why. */
  | { readonly kind: 'unknown'; readonly message: string };

/**
 * Asks the invite's server for its preview (docs/protocol.md, HTTP routes). Plain `fetch`, no
 * socket and no key: the unlock page shows it before the person unlocks one.
 */
export async function fetchInvitePreview(
  serverUrl: string,
  code: string,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): Promise<InvitePreviewResult> {
  let body: Envelope<InvitePreviewDto>;
  try {
    const response = await fetcher(`${serverUrl}/api/invites/${encodeURIComponent(code)}`, {
      cache: 'no-store',
    });
    body = (await response.json()) as Envelope<InvitePreviewDto>;
  } catch {
    return { kind: 'unknown', message: `${serverUrl} cannot be reached right now` };
  }
  if (body.ok) return { kind: 'valid', preview: body.data };
  if (body.error.code === 'not_found' || body.error.code === 'validation_failed') return { kind: 'invalid' };
  return { kind: 'unknown', message: body.error.message };
}
