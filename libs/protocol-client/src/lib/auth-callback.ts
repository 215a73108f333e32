import type { LoginAuth } from './login-auth';

/** socket.io-client's `auth` option in its callback form, which it calls before every (re)connect. */
export type AuthCallback = (send: (auth: object) => void) => void;

/**
 * An `auth` callback that makes a new login for every handshake (a nonce works once, so a
 * reconnect needs a fresh one). When no login can be made (no challenge, a wrong origin) it sends
 * nothing: an empty or stale `auth` would only be refused as a failed login, spending the
 * address's failed-login budget. `onError` gets the reason and must end or retry the attempt
 * (e.g. `socket.disconnect()` now, `socket.connect()` later): the socket waits until then.
 */
export function loginAuthCallback(
  login: () => Promise<LoginAuth>,
  onError: (error: unknown) => void,
): AuthCallback {
  return (send) => {
    login().then(send, onError);
  };
}
