import type { SessionDto } from '@mpqcht/protocol';

import type { ServerTarget } from './args';
import { type ClientSocket, connect, request } from './connection';
import { loadKeyFile } from './key-file';
import { LoginPassFile } from './login-passes';

/** Where a command writes notes for the operator (stderr). */
interface Notes {
  err(line: string): void;
}

export interface OpenSessionOptions {
  /** Reconnect after a lost connection, signing a fresh challenge each time (listen). */
  readonly reconnect: boolean;
  /** Called when signing for a reconnect fails; the connection cannot continue. */
  readonly onFatal?: (error: Error) => void;
}

/**
 * Logs in with the key file's key and asks `session.get`, whose login pass is kept beside the key
 * file (`LoginPassFile`): the next command shows it and skips the proof-of-work of a flooded server.
 */
export async function openSession(
  target: ServerTarget,
  notes: Notes,
  options: OpenSessionOptions,
): Promise<{ socket: ClientSocket; session: SessionDto }> {
  const key = await loadKeyFile(target.key);
  if (key.warning) notes.err(key.warning);
  const passes = new LoginPassFile(target.key, target.server, key.publicKey.hex);
  const socket = await connect({
    server: target.server,
    origin: target.origin,
    key,
    passes,
    reconnect: options.reconnect,
    onFatal: options.onFatal,
  });
  try {
    const session = await request(socket, 'session.get', {});
    try {
      await passes.save(session.loginPass);
    } catch (error) {
      // Without the file the next command may solve a proof-of-work again: a note, not a failure.
      notes.err(
        `warning: cannot keep the login pass in ${passes.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return { socket, session };
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}
