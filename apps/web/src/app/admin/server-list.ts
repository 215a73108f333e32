import { effect, signal, untracked, type WritableSignal } from '@angular/core';

import type { ServerConnection } from '../connection/server-connection';
import { describeModerationError } from '../roster/moderation-error';

/** A list an admin section shows (bans, invites): its rows, whether it is loading, and the last error. */
export interface ServerList<T> {
  readonly items: WritableSignal<readonly T[]>;
  readonly loading: WritableSignal<boolean>;
  /** The last failure, described for people; the section's own actions report theirs here too. */
  readonly error: WritableSignal<string | null>;
  refresh(): Promise<void>;
}

/**
 * Loads `load(server)` now and again whenever the server changes (call in an injection context).
 * A failure keeps the rows shown and says why.
 */
export function serverList<T>(
  server: () => ServerConnection,
  load: (server: ServerConnection) => Promise<readonly T[]>,
): ServerList<T> {
  const items = signal<readonly T[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const refresh = async () => {
    loading.set(true);
    try {
      items.set(await load(server()));
    } catch (failure) {
      error.set(describeModerationError(failure));
    } finally {
      loading.set(false);
    }
  };
  effect(() => {
    server();
    untracked(() => void refresh());
  });
  return { items, loading, error, refresh };
}
