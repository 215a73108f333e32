import { inject, Injectable, signal } from '@angular/core';

import type { SearchHitDto } from '@mpqcht/protocol';

import { describeFailure, RequestFailed } from '../connection/request-failed';
import { ServerSession } from '../connection/server-session';

/** How long a search waits for a server before calling it slow (its answer is still taken later). */
export const SEARCH_SLOW_MS = 5_000;

/** One server's answer to the query being searched, page after page. */
export interface ServerSearch {
  readonly query: string;
  /** `loading`: the first page is on its way; `failed`: refused or unreachable (see `error`). */
  readonly status: 'loading' | 'done' | 'failed';
  /** Newest first, every page so far. */
  readonly hits: readonly SearchHitDto[];
  /** For the next, older page; null at the end. */
  readonly cursor: string | null;
  /** The server is still building its index: older messages may be missing. */
  readonly indexing: boolean;
  readonly loadingMore: boolean;
  /** No first page within SEARCH_SLOW_MS. */
  readonly slow: boolean;
  /** Why it failed (or the next page did), for people. */
  readonly error: string | null;
  /** Where in the query the server found the fault (a refused query), UTF-16 offset. */
  readonly errorPosition: number | null;
}

function failure(error: unknown): { error: string; errorPosition: number | null } {
  if (error instanceof RequestFailed) {
    const position = error.details?.['position'];
    const errorPosition = typeof position === 'number' ? position : null;
    if (error.code === 'offline') return { error: 'offline', errorPosition };
    if (error.code === 'timeout') return { error: 'no answer', errorPosition };
    return { error: error.message, errorPosition };
  }
  return { error: describeFailure(error), errorPosition: null };
}

/**
 * Message search on one server (docs/web-client.md, Search): the query searched last and what the
 * server found, page by page (`search.messages`). A new query replaces the one before; answers to
 * an older one are dropped.
 */
@Injectable()
export class SearchState {
  private readonly session = inject(ServerSession);
  readonly current = signal<ServerSearch | null>(null);
  /** Bumped by every search and clear: what an older one was waiting for is dropped. */
  private generation = 0;

  /** Searches the query from its newest matches; resolves when the first page (or the failure) is in. */
  async search(query: string, slowAfterMs = SEARCH_SLOW_MS): Promise<void> {
    const generation = ++this.generation;
    this.current.set({
      query,
      status: 'loading',
      hits: [],
      cursor: null,
      indexing: false,
      loadingMore: false,
      slow: false,
      error: null,
      errorPosition: null,
    });
    const slow = setTimeout(
      () => this.update(generation, (s) => (s.status === 'loading' ? { slow: true } : {})),
      slowAfterMs,
    );
    try {
      const page = await this.session.request('search.messages', { query });
      this.update(generation, () => ({
        status: 'done',
        hits: page.results,
        cursor: page.cursor,
        indexing: page.indexing,
        slow: false,
      }));
    } catch (error) {
      this.update(generation, () => ({ status: 'failed', slow: false, ...failure(error) }));
    } finally {
      clearTimeout(slow);
    }
  }

  /** The next, older page of the current query, added to what is shown. */
  async more(): Promise<void> {
    const shown = this.current();
    if (!shown || shown.status !== 'done' || shown.cursor === null || shown.loadingMore) return;
    const generation = this.generation;
    const { query, cursor } = shown;
    this.update(generation, () => ({ loadingMore: true, error: null }));
    try {
      const page = await this.session.request('search.messages', { query, cursor });
      this.update(generation, (s) => {
        const known = new Set(s.hits.map((h) => h.message.id));
        return {
          hits: [...s.hits, ...page.results.filter((h) => !known.has(h.message.id))],
          cursor: page.cursor,
          indexing: page.indexing,
          loadingMore: false,
        };
      });
    } catch (error) {
      this.update(generation, () => ({ loadingMore: false, error: failure(error).error }));
    }
  }

  clear(): void {
    this.generation++;
    this.current.set(null);
  }

  private update(generation: number, change: (s: ServerSearch) => Partial<ServerSearch>): void {
    const shown = this.current();
    if (generation !== this.generation || !shown) return;
    this.current.set({ ...shown, ...change(shown) });
  }
}
