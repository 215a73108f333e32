export type ConnectionStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online' }
  /** Authorized here, but no display name picked yet. */
  | { readonly kind: 'joining' }
  | { readonly kind: 'reconnecting'; readonly attempt: number }
  /** The server limits logins from this address: the next attempt is at `retryAt` (epoch ms). */
  | { readonly kind: 'rate_limited'; readonly retryAt: number }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'closed' };
