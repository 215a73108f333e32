import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';

import { ChannelsState } from '../channels/channels.state';
import type { ServerConnection } from '../connection/server-connection';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { Autofocus } from '../shared/autofocus.directive';
import { ThreadsState } from '../threads/threads.state';

interface Candidate {
  readonly server: ServerConnection;
  readonly channelId: string;
  /** A thread of the channel, opened beside it; null for the channel itself. */
  readonly threadStream: string | null;
  readonly label: string;
  /** For a thread: the name of its channel. */
  readonly inChannel: string | null;
  readonly serverName: string;
  readonly unread: number;
}

/** Ctrl+K: jump to any channel, or any known thread, of any server by typing part of its name. */
@Component({
  selector: 'mq-quick-switcher',
  imports: [Autofocus],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" class="backdrop" aria-label="Close" (click)="closed.emit()"></button>
    <div class="switcher" role="dialog" aria-label="Quick switcher">
      <input
        #query
        mqAutofocus
        placeholder="Where to?"
        [value]="text()"
        (input)="text.set(query.value); index.set(0)"
        (keydown)="onKey($event)"
        data-test="switcher-input"
      />
      <ul role="listbox">
        @for (
          candidate of matches();
          track candidate.server.url + candidate.channelId + candidate.threadStream;
          let i = $index
        ) {
          <li role="option" [attr.aria-selected]="i === index()" [class.selected]="i === index()">
            <button type="button" (click)="choose(candidate)" [attr.data-thread]="candidate.threadStream">
              @if (candidate.inChannel !== null) {
                <span>🧵 {{ candidate.label }}</span>
                <span class="server">in #{{ candidate.inChannel }}</span>
              } @else {
                <span># {{ candidate.label }}</span>
              }
              <span class="server">{{ candidate.serverName }}</span>
              @if (candidate.unread > 0) {
                <span class="unread">{{ candidate.unread }}</span>
              }
            </button>
          </li>
        } @empty {
          <li class="none">No channel or thread matches.</li>
        }
      </ul>
    </div>
  `,
  styles: `
    .backdrop {
      position: fixed;
      inset: 0;
      border: none;
      background: rgb(0 0 0 / 50%);
      z-index: 20;
    }
    .switcher {
      position: fixed;
      top: 15vh;
      left: 50%;
      transform: translateX(-50%);
      width: min(560px, 92vw);
      z-index: 21;
      padding: 12px;
      border-radius: 10px;
      background: var(--mq-surface);
      box-shadow: 0 12px 32px rgb(0 0 0 / 40%);
    }
    input {
      width: 100%;
      box-sizing: border-box;
      font-size: 18px;
    }
    ul {
      list-style: none;
      margin: 8px 0 0;
      padding: 0;
      max-height: 50vh;
      overflow-y: auto;
    }
    li button {
      display: flex;
      gap: 8px;
      width: 100%;
      padding: 8px;
      border: none;
      border-radius: var(--mq-radius);
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    li.selected button {
      background: var(--mq-surface-2);
    }
    .server {
      color: var(--mq-text-muted);
    }
    .unread {
      margin-left: auto;
      font-weight: 700;
    }
    .none {
      color: var(--mq-text-muted);
    }
  `,
})
export class QuickSwitcher {
  private readonly servers = inject(ServersStore);
  private readonly selection = inject(ChatSelection);
  readonly closed = output();
  readonly text = signal('');
  readonly index = signal(0);

  readonly matches = computed<Candidate[]>(() => {
    const query = this.text().trim().toLowerCase();
    const all = this.servers.servers().flatMap((server) =>
      server
        .get(ChannelsState)
        .channels()
        .flatMap((c): Candidate[] => {
          const serverName = server.session.info()?.name ?? server.url;
          const threads = [...server.get(ThreadsState).threads().values()]
            .filter((t) => t.channelId === c.id)
            .map((t) => ({
              server,
              channelId: c.id,
              threadStream: t.streamId,
              label: t.name,
              inChannel: c.name,
              serverName,
              unread: t.following ? t.unread : 0,
            }));
          const channel = {
            server,
            channelId: c.id,
            threadStream: null,
            label: c.name,
            inChannel: null,
            serverName,
            unread: c.unread,
          };
          return [channel, ...threads];
        }),
    );
    const found = query
      ? all.filter((c) => c.label.toLowerCase().includes(query) || c.serverName.toLowerCase().includes(query))
      : all.filter((c) => c.unread > 0).concat(all.filter((c) => c.unread === 0));
    return found.slice(0, 20);
  });

  onKey(event: KeyboardEvent): void {
    const count = this.matches().length;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.index.update((i) => (count ? (i + 1) % count : 0));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      this.index.update((i) => (count ? (i - 1 + count) % count : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const candidate = this.matches()[this.index()];
      if (candidate) this.choose(candidate);
    } else if (event.key === 'Escape') {
      this.closed.emit();
    }
  }

  choose(candidate: Candidate): void {
    this.selection.selectChannel(candidate.server, candidate.channelId);
    if (candidate.threadStream) candidate.server.get(ThreadsState).open.set(candidate.threadStream);
    this.closed.emit();
  }
}
