import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { ChannelsState } from '../channels/channels.state';
import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { PageSearch } from './page-search';
import { queryFault } from './query-fault';
import type { ServerSearch } from './search.state';
import { highlightParts, type MergedHit, mergeResults, type TextPart } from './search-merge';

const SHORT = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const LONG = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A result's time: without the year when it is this year's (the full one in its title). */
export function resultTime(iso: string, now = new Date()): { short: string; full: string } {
  const date = new Date(iso);
  const full = LONG.format(date);
  return { short: date.getFullYear() === now.getFullYear() ? SHORT.format(date) : full, full };
}

/** A server's name as the page shows it (its address until it answered). */
export function serverName(server: ServerConnection): string {
  return server.session.info()?.name ?? server.url.replace(/^https?:\/\//u, '');
}

/** Up to two letters for a server's badge, as the rail shows them. */
export function serverInitials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? (words[0]?.[0] ?? '') + (words[1]?.[0] ?? '') : name.slice(0, 2);
  return letters.toUpperCase();
}

/** How one server's search stands, for the line under the panel's header. */
export function searchStatus(search: ServerSearch | null): { kind: string; text: string } {
  if (!search) return { kind: 'loading', text: 'waiting' };
  switch (search.status) {
    case 'loading':
      return search.slow ? { kind: 'slow', text: 'no answer yet' } : { kind: 'loading', text: 'searching…' };
    case 'failed':
      return { kind: 'failed', text: search.error ?? 'failed' };
    case 'done': {
      const n = search.hits.length;
      const count = `${n}${search.cursor !== null ? '+' : ''} result${n === 1 && search.cursor === null ? '' : 's'}`;
      return search.error
        ? { kind: 'failed', text: `${count}; ${search.error}` }
        : { kind: 'done', text: count };
    }
  }
}

interface ResultView {
  readonly key: string;
  readonly server: ServerConnection;
  readonly serverName: string;
  readonly initials: string;
  readonly messageId: string;
  readonly author: string;
  readonly channel: string;
  readonly thread: string | null;
  readonly time: string;
  readonly fullTime: string;
  readonly datetime: string;
  readonly parts: readonly TextPart[];
  readonly merged: MergedHit<ServerConnection>;
}

/**
 * The search results beside the channel (docs/web-client.md, Search): newest first across the
 * servers searched, each with its server, author, channel (and thread), time and text with the
 * matches marked; how each server answered (slow, failed, still indexing); More results; where to
 * search (this server or all). Choosing a result opens it on its server.
 */
@Component({
  selector: 'mq-search-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'complementary', 'aria-label': 'Search results', '(keydown.escape)': 'page.close()' },
  templateUrl: './search-panel.component.html',
  styleUrl: './search-panel.component.css',
})
export class SearchPanel {
  readonly page = inject(PageSearch);

  readonly merged = computed(() =>
    mergeResults(this.page.searches().map(({ server, search }) => ({ server, key: server.url, search }))),
  );

  readonly results = computed<readonly ResultView[]>(() =>
    this.merged().hits.map((merged) => {
      const { server, hit } = merged;
      const name = serverName(server);
      return {
        key: merged.key,
        server,
        serverName: name,
        initials: serverInitials(name),
        messageId: hit.message.id,
        author: server.get(MembersState).memberName(hit.message.author),
        channel: server.get(ChannelsState).find(hit.channelId)?.name ?? hit.channelId,
        thread: hit.threadName,
        time: resultTime(hit.message.createdAt).short,
        fullTime: resultTime(hit.message.createdAt).full,
        datetime: hit.message.createdAt,
        parts: highlightParts(hit.message.content, hit.highlights),
        merged,
      };
    }),
  );

  /** One line per server searched. */
  readonly statuses = computed(() =>
    this.page.searches().map(({ server, search }) => {
      const name = serverName(server);
      return {
        url: server.url,
        name,
        initials: serverInitials(name),
        indexing: search?.indexing ?? false,
        // The server refused the query (a name that matches nothing): where, in the query.
        fault:
          search?.status === 'failed' && search.errorPosition !== null
            ? queryFault(search.query, search.error ?? '', search.errorPosition)
            : null,
        ...searchStatus(search),
      };
    }),
  );

  readonly several = computed(() => this.page.targets().length > 1);
  readonly loading = computed(() => this.page.searches().some((s) => s.search?.status === 'loading'));
  readonly loadingMore = computed(() => this.page.searches().some((s) => s.search?.loadingMore));
  /** Some server answered (an empty list from none of them is not "no match"). */
  readonly answered = computed(() => this.page.searches().some((s) => s.search?.status === 'done'));
  readonly indexing = computed(() => this.statuses().some((s) => s.indexing));

  open(result: ResultView): void {
    void this.page.openHit(result.server, result.merged.hit);
  }
}
