import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  type OnDestroy,
  signal,
  untracked,
} from '@angular/core';
import { Router } from '@angular/router';

import { TimelinesState } from '../channels/timelines.state';
import { IdentityStore } from '../identity/identity.store';
import { MemberList } from '../members/member-list.component';
import { MessagePane } from '../messages/message-pane.component';
import { ThreadPanel } from '../messages/thread-panel.component';
import { ChannelSidebar } from '../navigation/channel-sidebar.component';
import { QuickSwitcher } from '../navigation/quick-switcher.component';
import { ServerRail } from '../navigation/server-rail.component';
import { MembersState } from '../roster/members.state';
import { PageSearch } from '../search/page-search';
import { SearchPanel } from '../search/search-panel.component';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { ThemePalette } from '../shared/theme-palette';
import { ThreadsState } from '../threads/threads.state';

/** Whether a key goes to a text field (where `/` is a character, not a shortcut). */
function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)
  );
}

/** The chat screen: server rail, channels, messages, members; keyboard shortcuts live here. */
@Component({
  selector: 'mq-chat-shell',
  imports: [ServerRail, ChannelSidebar, MessagePane, MemberList, QuickSwitcher, ThreadPanel, SearchPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKey($event)' },
  template: `
    <div class="shell" [class.with-thread]="threadOpen() || searchOpen()">
      <mq-server-rail />
      <mq-channel-sidebar />
      <mq-message-pane />
      @if (threadOpen()) {
        <mq-thread-panel />
      } @else if (searchOpen()) {
        <!-- Not deferred: the chat screen is a lazy chunk already, and @defer's runtime would
             add 6 kB to the initial bundle. -->
        <mq-search-panel />
      } @else {
        <mq-member-list />
      }
    </div>
    @if (switcherOpen()) {
      <mq-quick-switcher (closed)="switcherOpen.set(false)" />
    }
  `,
  styles: `
    .shell {
      display: grid;
      grid-template-columns: 72px 240px minmax(0, 1fr) 220px;
      height: 100vh;
      overflow: hidden;
    }
    /* The thread (or the search results) takes the members' place, wider: it is a conversation. */
    .shell.with-thread {
      grid-template-columns: 72px 240px minmax(0, 1fr) minmax(320px, 36%);
    }
    @media (max-width: 900px) {
      .shell {
        grid-template-columns: 64px 200px minmax(0, 1fr);
      }
      mq-member-list {
        display: none;
      }
      /* Narrow: the thread covers the channel's messages. */
      .shell.with-thread {
        grid-template-columns: 64px 200px minmax(0, 1fr);
      }
      .shell.with-thread mq-message-pane {
        display: none;
      }
    }
  `,
})
export class ChatShellPage implements OnDestroy {
  private readonly identity = inject(IdentityStore);
  private readonly servers = inject(ServersStore);
  private readonly selection = inject(ChatSelection);
  private readonly router = inject(Router);
  private readonly palette = inject(ThemePalette);
  readonly switcherOpen = signal(false);
  /** A thread is open on the server on screen (the side panel shows it). */
  readonly threadOpen = computed(() => (this.selection.server()?.get(ThreadsState).open() ?? null) !== null);
  private readonly search = inject(PageSearch);
  readonly searchOpen = this.search.open;

  constructor() {
    const identity = this.identity.identity();
    if (!identity) {
      void this.router.navigateByUrl('/unlock');
      return;
    }
    if (this.servers.servers().length === 0) this.servers.start(identity);
    effect(() => this.palette.apply(this.selection.server()?.session.info()?.theme ?? null));
    // The server on screen keeps its members live (names in its messages, the member list), whichever
    // panel is open; the others are pushed no presence (docs/web-client.md, State per server).
    effect((onCleanup) => {
      const server = this.selection.server();
      // Only the server on screen decides: not the signals watch() reads (the connection's status).
      const release = untracked(() => server?.get(MembersState).watch());
      onCleanup(() => release?.());
    });
  }

  ngOnDestroy(): void {
    this.palette.apply(null);
  }

  onKey(event: KeyboardEvent): void {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      this.selection.moveChannel(event.key === 'ArrowUp' ? -1 : 1);
    } else if (
      ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') ||
      (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingIn(event.target))
    ) {
      // The search box of the channel header (the browser's find is Ctrl+F again from there).
      if (
        event.key === '/' ||
        !(event.target instanceof HTMLInputElement && event.target.type === 'search')
      ) {
        event.preventDefault();
        this.search.focus();
      }
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      this.switcherOpen.update((open) => !open);
    } else if (event.key === 'Escape' && !this.switcherOpen()) {
      const server = this.selection.server();
      const channel = this.selection.channel();
      if (server && channel)
        void server
          .get(TimelinesState)
          .markRead(channel.id)
          .catch(() => undefined);
    }
  }
}
