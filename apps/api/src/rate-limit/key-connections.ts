import { Injectable } from '@nestjs/common';

import { ProtocolError } from '../common/protocol-error';
import type { MpqchtSocket } from '../realtime/socket-session';

/** What a key refused for holding too many connections is told to wait before trying again. */
const RETRY_AFTER_MS = 10_000;

/**
 * The sockets each key holds open in this process, capped by `[limits] connections_per_key`: one
 * person's tabs and devices, not a way to multiply a key's sockets (their request budget is shared
 * anyway, see RequestGate). A socket counts from the handshake that admitted it until it
 * disconnects, or until its transport closes if it never finished connecting.
 */
@Injectable()
export class KeyConnections {
  private readonly byKey = new Map<string, Set<string>>();

  /** Counts the socket for its key, or throws `too_many_connections` when the key is at `max`. */
  admit(socket: Pick<MpqchtSocket, 'id' | 'once' | 'conn'>, publicKey: string, max: number): void {
    let sockets = this.byKey.get(publicKey);
    if (sockets && sockets.size >= max) {
      throw new ProtocolError(
        'too_many_connections',
        `this key already has ${max} connections open here; close one and reconnect`,
        { max, retryAfterMs: RETRY_AFTER_MS },
      );
    }
    if (!sockets) {
      sockets = new Set();
      this.byKey.set(publicKey, sockets);
    }
    sockets.add(socket.id);
    const release = () => {
      this.release(publicKey, socket.id);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
  }

  /** Open sockets of a key (for tests and diagnostics). */
  count(publicKey: string): number {
    return this.byKey.get(publicKey)?.size ?? 0;
  }

  private release(publicKey: string, socketId: string): void {
    const sockets = this.byKey.get(publicKey);
    if (!sockets) return;
    sockets.delete(socketId);
    if (sockets.size === 0) this.byKey.delete(publicKey);
  }
}
