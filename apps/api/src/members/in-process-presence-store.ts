import { Injectable } from '@nestjs/common';

import { PresenceStore } from './presence-store';

/** Presence when the api is one process: the live sockets of each joined member, in memory. */
@Injectable()
export class InProcessPresenceStore extends PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();

  connected(publicKey: string, socketId: string): Promise<boolean> {
    let ids = this.sockets.get(publicKey);
    if (!ids) {
      ids = new Set();
      this.sockets.set(publicKey, ids);
    }
    const before = ids.size;
    ids.add(socketId);
    return Promise.resolve(before === 0 && ids.size === 1);
  }

  disconnected(publicKey: string, socketId: string): Promise<boolean> {
    const ids = this.sockets.get(publicKey);
    if (!ids?.delete(socketId)) return Promise.resolve(false);
    if (ids.size > 0) return Promise.resolve(false);
    this.sockets.delete(publicKey);
    return Promise.resolve(true);
  }

  isOnline(publicKey: string): Promise<boolean> {
    return Promise.resolve(this.sockets.has(publicKey));
  }
}
