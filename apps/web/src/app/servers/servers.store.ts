import { computed, DestroyRef, DOCUMENT, inject, Injectable, Injector, signal } from '@angular/core';

import type { ServerInfoDto } from '@mpqcht/protocol';

import { Outbox } from '../channels/outbox';
import { type ConnectionDeps, SERVER_FEATURES, type SigningIdentity } from '../connection/connection-deps';
import { forgetServerLoginPasses } from '../connection/login-pass.storage';
import { loadPowWorker } from '../connection/pow-worker-solver';
import { ServerConnection } from '../connection/server-connection';
import { fetchServerHttp } from '../connection/server-http';
import { createServerSocket } from '../connection/server-socket';
import { reconnectOnWake } from './reconnect-on-wake';
import { loadSavedPlace, saveActiveServer } from './saved-place.storage';
import { loadServerList, saveServerList } from './server-list.storage';

/** Lets tests and the e2e harness swap the transport; the app uses the real ones. */
export const DEFAULT_CONNECTION_DEPS: ConnectionDeps = {
  http: fetchServerHttp,
  socketFactory: createServerSocket,
  now: () => Date.now(),
  online: () => navigator.onLine,
  powWorker: loadPowWorker,
  loginPasses: localStorage,
};

/**
 * Every server the person added, one ServerConnection each, plus which server and channel are on
 * screen. The list of addresses survives reloads; connections live while the identity is unlocked.
 */
@Injectable({ providedIn: 'root' })
export class ServersStore {
  private readonly list = signal<readonly ServerConnection[]>([]);
  readonly servers = this.list.asReadonly();
  readonly activeUrl = signal<string | null>(null);
  /** The unlocked identity's public key (hex): where its place on the page is saved. */
  readonly identityKey = signal<string | null>(null);
  readonly active = computed(
    () => this.list().find((s) => s.url === this.activeUrl()) ?? this.list()[0] ?? null,
  );

  private readonly features = inject(SERVER_FEATURES);
  private readonly injector = inject(Injector);
  private deps: ConnectionDeps = DEFAULT_CONNECTION_DEPS;
  private identity: SigningIdentity | null = null;

  constructor() {
    const stop = reconnectOnWake(inject(DOCUMENT), () => this.list().map((s) => s.session));
    inject(DestroyRef).onDestroy(stop);
  }

  useDeps(deps: ConnectionDeps): void {
    this.deps = deps;
  }

  /** Connects every saved server with this identity, and puts back the one it had on screen. */
  start(identity: SigningIdentity): void {
    this.stop();
    this.identity = identity;
    const connections = loadServerList(localStorage).map((s) => this.connection(s.url, identity));
    this.list.set(connections);
    this.identityKey.set(identity.publicKey.hex);
    this.activeUrl.set(loadSavedPlace(localStorage, identity.publicKey.hex).server);
    for (const connection of connections) void connection.session.connect();
  }

  /** Closes every connection and forgets the identity (the saved list stays). */
  stop(): void {
    for (const connection of this.list()) connection.session.close();
    this.list.set([]);
    this.identity = null;
    this.identityKey.set(null);
    this.activeUrl.set(null);
  }

  /**
   * Adds a server by its origin and connects to it; returns the existing one if already added.
   * `invite` (a join link's code) goes with the first login only and is never saved; an existing
   * server where this key is not admitted yet (refused, or still connecting) logs in again with it.
   */
  add(url: string, invite?: string): ServerConnection {
    const existing = this.list().find((s) => s.url === url);
    if (existing) {
      const kind = existing.session.status().kind;
      if (invite !== undefined && kind !== 'online' && kind !== 'joining') {
        existing.session.useInvite(invite);
        void existing.session.reconnect();
      }
      return existing;
    }
    if (!this.identity) throw new Error('unlock an identity before adding servers');
    const connection = this.connection(url, this.identity);
    if (invite !== undefined) connection.session.useInvite(invite);
    this.list.update((list) => [...list, connection]);
    this.persist();
    void connection.session.connect();
    return connection;
  }

  /** Asks a server for its info without adding it (the add-server box checks the address first). */
  serverInfo(url: string): Promise<ServerInfoDto> {
    return this.deps.http.serverInfo(url);
  }

  remove(url: string): void {
    const connection = this.list().find((s) => s.url === url);
    connection?.session.close();
    // What waited for this server would otherwise be sent if it were ever added again.
    connection?.get(Outbox).clear();
    // A pass says which key used this server here; no use keeping it for a server not on the page.
    if (this.deps.loginPasses) forgetServerLoginPasses(this.deps.loginPasses, url, this.deps.now());
    this.list.update((list) => list.filter((s) => s.url !== url));
    if (this.activeUrl() === url) this.select(null);
    this.persist();
  }

  select(url: string | null): void {
    this.activeUrl.set(url);
    const key = this.identityKey();
    if (key) saveActiveServer(localStorage, key, url);
  }

  private connection(url: string, identity: SigningIdentity): ServerConnection {
    return new ServerConnection(url, identity, this.deps, this.features, this.injector);
  }

  private persist(): void {
    saveServerList(
      localStorage,
      this.list().map((s) => ({ url: s.url })),
    );
  }
}
