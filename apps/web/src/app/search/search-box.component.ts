import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { parseSearchQuery, SearchQueryError } from '@mpqcht/protocol/plain';

import { ChannelsState } from '../channels/channels.state';
import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { PageSearch } from './page-search';
import { type QueryFault, queryFault } from './query-fault';
import { suggest, type Suggestion, type SuggestName } from './search-suggest';

function names(servers: readonly ServerConnection[]): {
  members: SuggestName[];
  channels: SuggestName[];
} {
  const members = new Map<string, SuggestName>();
  const channels = new Map<string, SuggestName>();
  for (const server of servers) {
    const where = servers.length > 1 ? (server.session.info()?.name ?? server.url) : '';
    for (const m of server.get(MembersState).members().values())
      if (!members.has(m.displayName))
        members.set(m.displayName, { name: m.displayName, detail: m.online ? 'online' : '' });
    for (const c of server.get(ChannelsState).channels())
      if (!channels.has(c.name)) channels.set(c.name, { name: c.name, detail: where || c.topic });
  }
  return { members: [...members.values()], channels: [...channels.values()] };
}

/**
 * The search box of the channel header (docs/web-client.md, Search): completes `from:`,
 * `mentions:` (members), `in:` (channels) and `has:` as one types (Up, Down, Enter or Tab, Escape),
 * shows where a query cannot be read before it is sent, and sends it with Enter. Ctrl+F or `/`
 * focuses it.
 */
@Component({
  selector: 'mq-search-box',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './search-box.component.html',
  styleUrl: './search-box.component.css',
})
export class SearchBox {
  readonly page = inject(PageSearch);
  private readonly selection = inject(ChatSelection);
  private readonly servers = inject(ServersStore);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');

  readonly text = signal('');
  private readonly caret = signal(0);
  readonly focused = signal(false);
  /** Escape hid the suggestions until the next keystroke. */
  private readonly dismissed = signal(false);
  /** The highlighted suggestion; -1: none (Enter searches). */
  readonly active = signal(-1);
  /** Shown once a query was refused, kept current as it is corrected. */
  readonly fault = signal<QueryFault | null>(null);

  readonly suggestions = computed<readonly Suggestion[]>(() => {
    if (!this.focused() || this.dismissed()) return [];
    const scope = this.page.scope();
    const active = this.selection.server();
    const servers = scope === 'all' ? this.servers.servers() : active ? [active] : [];
    return suggest(this.text(), this.caret(), names(servers));
  });

  constructor() {
    // Ctrl+F or `/` (the chat shell asks).
    let seen = untracked(this.page.focusRequests);
    effect(() => {
      const requests = this.page.focusRequests();
      if (requests === seen) return;
      seen = requests;
      const input = this.input().nativeElement;
      input.focus();
      input.select();
    });
    // A value offered is taken with Enter; an operator only when chosen (Enter still searches).
    effect(() => {
      const first = this.suggestions()[0];
      untracked(() => this.active.set(first?.kind === 'value' ? 0 : -1));
    });
  }

  onInput(input: HTMLInputElement): void {
    this.text.set(input.value);
    this.caret.set(input.selectionStart ?? input.value.length);
    this.dismissed.set(false);
    if (this.fault()) this.check(input.value);
  }

  caretMoved(input: HTMLInputElement): void {
    this.caret.set(input.selectionStart ?? input.value.length);
  }

  onKey(event: KeyboardEvent): void {
    const suggestions = this.suggestions();
    const count = suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return;
        event.preventDefault();
        this.active.update((i) => (event.key === 'ArrowDown' ? (i + 1) % count : i <= 0 ? count - 1 : i - 1));
        return;
      case 'Tab': {
        const chosen = suggestions[Math.max(0, this.active())];
        if (!chosen || event.shiftKey) return;
        event.preventDefault();
        this.take(chosen);
        return;
      }
      case 'Enter': {
        event.preventDefault();
        const chosen = suggestions[this.active()];
        if (chosen) this.take(chosen);
        else this.submit();
        return;
      }
      case 'Escape':
        event.stopPropagation();
        if (count > 0) this.dismissed.set(true);
        else if (this.page.open()) this.page.close();
        else this.input().nativeElement.blur();
        return;
    }
  }

  take(suggestion: Suggestion): void {
    const input = this.input().nativeElement;
    input.value = suggestion.query;
    input.setSelectionRange(suggestion.caret, suggestion.caret);
    this.text.set(suggestion.query);
    this.caret.set(suggestion.caret);
    if (this.fault()) this.check(suggestion.query);
  }

  /** Reads the query: a fault is shown under the box, a good query is sent. */
  submit(): void {
    const query = this.text().trim();
    if (!this.check(query)) return;
    this.dismissed.set(true);
    this.page.run(query);
  }

  private check(query: string): boolean {
    try {
      parseSearchQuery(query);
      this.fault.set(null);
      return true;
    } catch (error) {
      if (!(error instanceof SearchQueryError)) throw error;
      this.fault.set(queryFault(query, error.message, error.position));
      return false;
    }
  }
}
