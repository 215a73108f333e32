import { Injectable } from '@nestjs/common';

/** Who is online in this process: the live sockets of each joined member. */
@Injectable()
export class PresenceService {
  private readonly sockets = new Map<string, Set<string>>();

  /** Returns true when this socket brought the member online. */
  connected(publicKey: string, socketId: string): boolean {
    let ids = this.sockets.get(publicKey);
    if (!ids) {
      ids = new Set();
      this.sockets.set(publicKey, ids);
    }
    const before = ids.size;
    ids.add(socketId);
    return before === 0 && ids.size === 1;
  }

  /** Returns true when this socket was the member's last one. */
  disconnected(publicKey: string, socketId: string): boolean {
    const ids = this.sockets.get(publicKey);
    if (!ids?.delete(socketId)) return false;
    if (ids.size > 0) return false;
    this.sockets.delete(publicKey);
    return true;
  }

  isOnline(publicKey: string): boolean {
    return this.sockets.has(publicKey);
  }
}
