import type { ServerToClientEvents } from '@mpqcht/protocol';

import type { TestSocket } from './client';

type PushPayload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/**
 * Resolves with the first push of `event` (from now on) whose payload satisfies `matches`; pushes
 * of the same event about something else are skipped. Rejects after `timeoutMs`.
 */
export function pushMatching<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  matches: (payload: PushPayload<E>) => boolean,
  timeoutMs = 5_000,
): Promise<PushPayload<E>> {
  const on = socket.on.bind(socket) as (event: string, listener: (payload: PushPayload<E>) => void) => void;
  const off = socket.off.bind(socket) as (event: string, listener: (payload: PushPayload<E>) => void) => void;
  return new Promise((resolve, reject) => {
    const listener = (payload: PushPayload<E>) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      off(event, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      off(event, listener);
      reject(new Error(`no matching ${event} push within ${timeoutMs} ms`));
    }, timeoutMs);
    on(event, listener);
  });
}
