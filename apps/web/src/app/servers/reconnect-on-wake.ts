import type { ServerSession } from '../connection/server-session';

/**
 * Starts every waiting reconnect at once when the browser's network comes back (`online`) or the
 * tab becomes visible again (`visibilitychange`): a backoff timer must not keep a person waiting
 * when the obvious moment to try is now. Returns what removes the listeners.
 */
export function reconnectOnWake(document: Document, sessions: () => readonly ServerSession[]): () => void {
  const window = document.defaultView;
  const online = () => {
    for (const session of sessions()) session.reconnectNow('online');
  };
  const visible = () => {
    if (document.visibilityState !== 'visible') return;
    for (const session of sessions()) session.reconnectNow('visible');
  };
  window?.addEventListener('online', online);
  document.addEventListener('visibilitychange', visible);
  return () => {
    window?.removeEventListener('online', online);
    document.removeEventListener('visibilitychange', visible);
  };
}
