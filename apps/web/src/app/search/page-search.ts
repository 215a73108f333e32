import { computed, inject, Injectable, signal } from '@angular/core';

import type { SearchHitDto } from '@mpqcht/protocol';
import { threadIdOf } from '@mpqcht/protocol/plain';

import { TimelinesState } from '../channels/timelines.state';
import type { ServerConnection } from '../connection/server-connection';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { ThreadsState } from '../threads/threads.state';
import { SearchState } from './search.state';

/** The layout where a side panel covers the channel (chat shell); jsdom has no matchMedia. */
function narrow(): boolean {
  const view = globalThis as { matchMedia?: (query: string) => MediaQueryList };
  return typeof view.matchMedia === 'function' && view.matchMedia('(max-width: 900px)').matches;
}

/** Where a query goes: the server on screen, or every server of the page. */
export type SearchScope = 'server' | 'all';

/**
 * The search of the page (docs/web-client.md, Search): the query last searched, where it went (the
 * server on screen or all of them, in parallel, each answering into its own SearchState), whether
 * the results panel is open, and opening a result on its server.
 */
@Injectable({ providedIn: 'root' })
export class PageSearch {
  private readonly servers = inject(ServersStore);
  private readonly selection = inject(ChatSelection);

  readonly scope = signal<SearchScope>('server');
  /** The results panel is shown. */
  readonly open = signal(false);
  /** The query searched last ('' before any). */
  readonly query = signal('');
  /** The servers the query went to. */
  readonly targets = signal<readonly ServerConnection[]>([]);
  /** Bumped to put focus in the search box (Ctrl+F, /). */
  readonly focusRequests = signal(0);
  /** Opening a result failed (the thread is gone, the server is offline). */
  readonly openError = signal<string | null>(null);

  /** Every target server's search, in the order of the rail. */
  readonly searches = computed(() =>
    this.targets().map((server) => ({ server, search: server.get(SearchState).current() })),
  );

  /** Sends the query to the server on screen, or to every server, and opens the results. */
  run(query: string): void {
    const active = this.selection.server();
    const targets = this.scope() === 'all' ? this.servers.servers() : active ? [active] : [];
    for (const old of this.targets()) if (!targets.includes(old)) old.get(SearchState).clear();
    this.targets.set(targets);
    this.query.set(query);
    this.openError.set(null);
    this.open.set(true);
    for (const server of targets) void server.get(SearchState).search(query);
  }

  /** The scope changed: the same query again, where it now goes. */
  setScope(scope: SearchScope): void {
    if (scope === this.scope()) return;
    this.scope.set(scope);
    if (this.query()) this.run(this.query());
  }

  /** The next page of every server that has one. */
  more(): void {
    for (const server of this.targets()) void server.get(SearchState).more();
  }

  close(): void {
    this.open.set(false);
  }

  focus(): void {
    this.focusRequests.update((n) => n + 1);
  }

  /**
   * Opens a result: its server and channel on screen (and, for a thread's message, the thread in
   * the side panel), the history around it loaded, and the message flashed.
   */
  async openHit(server: ServerConnection, hit: SearchHitDto): Promise<void> {
    this.openError.set(null);
    const streamId = hit.message.channelId;
    const threads = server.get(ThreadsState);
    this.selection.selectChannel(server, hit.channelId);
    if (threadIdOf(streamId) !== null) {
      try {
        if (!threads.find(streamId)) await threads.load(streamId);
      } catch {
        this.openError.set('That thread cannot be opened now.');
        return;
      }
      threads.open.set(streamId);
    } else {
      // The search results stay beside the channel (an open thread would take their place).
      threads.open.set(null);
    }
    server.get(TimelinesState).jump.set({ streamId, messageId: hit.message.id, at: Date.now() });
    // Narrow, the results cover the channel: they give way to it.
    if (threadIdOf(streamId) === null && narrow()) this.close();
  }
}
