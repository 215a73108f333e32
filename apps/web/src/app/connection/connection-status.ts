export type ConnectionStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online' }
  /** Authorized here, but no display name picked yet. */
  | { readonly kind: 'joining' }
  /**
   * Waiting to try again (docs/web-client.md, Reconnecting): `attempt` is the number of the next
   * attempt since the connection was lost, `retryAt` when it starts (epoch ms; null while it runs),
   * `reason` why the last one failed when the server could not be reached at all.
   */
  | {
      readonly kind: 'reconnecting';
      readonly attempt: number;
      readonly retryAt: number | null;
      readonly reason?: string;
    }
  /** The server limits logins from this address: the next attempt is at `retryAt` (epoch ms). */
  | { readonly kind: 'rate_limited'; readonly retryAt: number }
  /**
   * The server refused the login or ended the session (`code`: `banned`, `not_a_member`, `kicked`,
   * ...); `note` is what a moderator gave as the reason of a ban or kick, when the server says.
   */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly note?: string }
  | { readonly kind: 'closed' };
