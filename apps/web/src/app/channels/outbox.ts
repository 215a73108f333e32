import { computed, inject, Injectable, signal } from '@angular/core';

import { ServerSession } from '../connection/server-session';
import { loadOutbox, type OutboxEntry, outboxKey, updateOutbox, withinBounds } from './outbox.storage';

/** What became of one attempt to send an entry. */
export type OutboxDelivery = 'done' | 'wait';

/**
 * The messages of one server and identity that wait for the connection (docs/web-client.md,
 * Outbox): stored in localStorage so that they survive a reload, sent in order, one at a time,
 * whenever the session is back, and dropped once the server stored them or refused them for good.
 */
@Injectable()
export class Outbox {
  private readonly session = inject(ServerSession);
  private readonly key = outboxKey(this.session.url, this.session.publicKey);
  private readonly storage: Storage | null = storageOrNull();
  private readonly list = signal<readonly OutboxEntry[]>(
    this.storage ? loadOutbox(this.storage, this.key) : [],
  );
  readonly entries = this.list.asReadonly();
  readonly size = computed(() => this.list().length);
  /** A flush is going through the entries; another one asked for meanwhile sets `flushAgain`. */
  private draining = false;
  private flushAgain = false;

  /** Adds a message at the end; false when the outbox is full (its bounds, or the storage's). */
  add(entry: OutboxEntry): boolean {
    if (this.list().some((e) => e.clientId === entry.clientId)) return true;
    const next = [...this.list(), entry];
    if (!withinBounds(next)) return false;
    const append = (stored: OutboxEntry[]) => [...stored.filter((e) => e.clientId !== entry.clientId), entry];
    if (this.storage && !updateOutbox(this.storage, this.key, append)) return false;
    this.list.set(next);
    return true;
  }

  remove(clientId: string): void {
    if (this.storage)
      updateOutbox(this.storage, this.key, (list) => list.filter((e) => e.clientId !== clientId));
    this.list.update((list) => list.filter((e) => e.clientId !== clientId));
  }

  /** Forgets every waiting message (the server was removed from the list). */
  clear(): void {
    if (this.storage) updateOutbox(this.storage, this.key, () => []);
    this.list.set([]);
  }

  /**
   * Sends the entries in order through `deliver`, one at a time, until the outbox is empty or one
   * has to wait for the connection. A flush asked for while one runs makes that one go round once
   * more (and returns at once), so nothing added or brought back online meanwhile is left behind.
   */
  async flush(deliver: (entry: OutboxEntry) => Promise<OutboxDelivery>): Promise<void> {
    this.flushAgain = true;
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.flushAgain) {
        this.flushAgain = false;
        for (let entry = this.list()[0]; entry; entry = this.list()[0]) {
          if ((await deliver(entry)) === 'wait') break;
          this.remove(entry.clientId);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/** localStorage, or null where the browser refuses it (private modes, sandboxed frames). */
function storageOrNull(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}
