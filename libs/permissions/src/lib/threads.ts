import type { EffectivePermissions } from './model';

/** What a thread adds to its channel's rules: a locked thread is read-only for most. */
export interface ThreadState {
  readonly locked: boolean;
}

/**
 * A member's permissions in a thread, from their resolved permissions in its channel: the same
 * flags and limits, never more. In a locked thread only `manage_threads` holders write; no thread
 * grows under a thread's messages (`create_threads` is false in one).
 */
export function resolveThreadPermissions(
  inChannel: EffectivePermissions,
  thread: ThreadState,
): EffectivePermissions {
  const flags = inChannel.flags;
  const write = flags.write && (!thread.locked || flags.manage_threads);
  return { flags: { ...flags, write, create_threads: false }, limits: inChannel.limits };
}
