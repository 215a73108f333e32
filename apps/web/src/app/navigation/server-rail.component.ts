import { ChangeDetectionStrategy, Component, DOCUMENT, inject, signal } from '@angular/core';

import { ChannelsState } from '../channels/channels.state';
import { serverOrigin } from '../connection/server-address';
import type { ServerConnection } from '../connection/server-connection';
import { type AddServerHint, addServerHint, checkServerAddress } from '../servers/add-server-check';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { Autofocus } from '../shared/autofocus.directive';
import { ThreadsState } from '../threads/threads.state';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? (words[0]?.[0] ?? '') + (words[1]?.[0] ?? '') : name.slice(0, 2);
  return letters.toUpperCase() || '?';
}

/** The column of servers: initials, an unread dot, a mention count, and "add a server". */
@Component({
  selector: 'mq-server-rail',
  imports: [Autofocus],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav class="rail" aria-label="Servers">
      @for (server of servers.servers(); track server.url) {
        <button
          type="button"
          class="server"
          [class.active]="selection.server() === server"
          [class.unread]="unread(server) > 0"
          [attr.title]="(server.session.info()?.name ?? server.url) + ' — ' + server.url"
          [attr.aria-current]="selection.server() === server"
          [attr.data-server]="server.url"
          (click)="selection.selectServer(server)"
        >
          <span class="initials">{{
            initials(server.session.info()?.name ?? server.url.replace('https://', ''))
          }}</span>
          @if (mentions(server) > 0) {
            <span class="badge" data-test="rail-mentions">{{ mentions(server) }}</span>
          }
          @if (server.session.proofOfWork()) {
            <span class="state working" title="Proving work to log in" data-test="rail-pow"></span>
          } @else {
            @switch (server.session.status().kind) {
              @case ('refused') {
                <span class="state refused" title="Not connected">!</span>
              }
              @case ('reconnecting') {
                <span class="state reconnecting" title="Reconnecting"></span>
              }
              @case ('rate_limited') {
                <span class="state reconnecting" title="Too many logins from here; retrying"></span>
              }
            }
          }
        </button>
      }
      <button
        type="button"
        class="server add"
        title="Add a server"
        (click)="adding() ? close() : adding.set(true)"
        data-test="add-server"
      >
        +
      </button>
    </nav>
    @if (adding()) {
      <form
        class="add-dialog"
        role="dialog"
        aria-label="Add a server"
        (submit)="$event.preventDefault(); void add(address.value)"
      >
        <label>
          <span>Server address</span>
          <input
            #address
            mqAutofocus
            placeholder="chat.example.org"
            (input)="hint.set(null)"
            (keydown.escape)="close()"
            data-test="server-url"
          />
        </label>
        @if (hint(); as shown) {
          <p class="hint" role="alert" data-test="add-server-hint">{{ shown.message }}</p>
        }
        <div class="actions">
          <button type="button" class="button" (click)="close()">Cancel</button>
          @if (hint()?.suggestion; as suggestion) {
            <button
              type="button"
              class="button primary"
              (click)="addNow(suggestion)"
              data-test="add-suggested"
            >
              Add {{ suggestion }}
            </button>
          } @else if (hint()?.addAnyway; as anyway) {
            <button type="button" class="button" (click)="addNow(anyway)" data-test="add-anyway">
              Add anyway
            </button>
          }
          <!-- Editing the address clears a suggestion: until then, Add would only ask again. -->
          @if (!hint()?.suggestion) {
            <button
              type="submit"
              class="button primary"
              [disabled]="checking()"
              data-test="add-server-submit"
            >
              {{ checking() ? 'Checking…' : 'Add' }}
            </button>
          }
        </div>
      </form>
    }
  `,
  styles: `
    :host {
      background: var(--mq-background);
      border-right: 1px solid var(--mq-border);
      position: relative;
    }
    .rail {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 12px 0;
      height: 100%;
      overflow-y: auto;
      box-sizing: border-box;
    }
    .server {
      position: relative;
      width: 48px;
      height: 48px;
      border-radius: 50%;
      border: none;
      background: var(--mq-surface-2);
      color: var(--mq-text);
      font: 600 15px var(--mq-font);
      cursor: pointer;
      transition: border-radius 0.15s;
      flex: none;
    }
    .server:hover,
    .server.active {
      border-radius: 16px;
      background: var(--mq-accent);
      color: #fff;
    }
    .server.unread::before {
      content: '';
      position: absolute;
      left: -12px;
      top: 50%;
      width: 8px;
      height: 8px;
      margin-top: -4px;
      border-radius: 4px;
      background: var(--mq-text);
    }
    .badge {
      position: absolute;
      right: -6px;
      bottom: -6px;
      min-width: 18px;
      height: 18px;
      padding: 0 4px;
      border-radius: 9px;
      border: 3px solid var(--mq-background);
      background: var(--mq-danger-fill);
      color: #fff;
      font-size: 11px;
      line-height: 18px;
      box-sizing: content-box;
    }
    .state {
      position: absolute;
      top: -2px;
      right: -2px;
      width: 14px;
      height: 14px;
      border-radius: 7px;
      font-size: 10px;
      line-height: 14px;
      color: #fff;
    }
    .refused {
      background: var(--mq-danger-fill);
    }
    .reconnecting {
      background: #f0b232;
    }
    .working {
      background: var(--mq-accent);
      border: 2px solid var(--mq-background);
      box-sizing: border-box;
    }
    .add {
      color: #23a55a;
      font-size: 24px;
    }
    .add-dialog {
      position: absolute;
      left: 72px;
      top: 12px;
      z-index: 10;
      width: 340px;
      display: grid;
      gap: 10px;
      padding: 16px;
      background: var(--mq-surface);
      border: 1px solid var(--mq-border);
      border-radius: 10px;
      box-shadow: 0 8px 24px rgb(0 0 0 / 35%);
    }
    .add-dialog label {
      display: grid;
      gap: 4px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }
    .hint {
      margin: 0;
      padding-left: 8px;
      border-left: 3px solid var(--mq-danger);
      font-size: 13px;
      line-height: 1.45;
      overflow-wrap: anywhere;
    }
  `,
})
export class ServerRail {
  readonly servers = inject(ServersStore);
  readonly selection = inject(ChatSelection);
  readonly adding = signal(false);
  /** Asking the typed address for its info before adding it. */
  readonly checking = signal(false);
  /** Why the typed address was not added, and what to add instead (add-server-check.ts). */
  readonly hint = signal<AddServerHint | null>(null);
  readonly initials = initials;
  private readonly document = inject(DOCUMENT);
  /** Bumped by every add and close: a check that is answered after either is dropped. */
  private attempt = 0;

  /**
   * Unread messages on a server, in its channels and the threads the member follows; none on one
   * that refused us (banned, removed): its counts are stale.
   */
  unread(server: ServerConnection): number {
    if (server.session.status().kind === 'refused') return 0;
    return server.get(ChannelsState).unreadTotal() + server.get(ThreadsState).unreadTotal();
  }

  mentions(server: ServerConnection): number {
    if (server.session.status().kind === 'refused') return 0;
    return server.get(ChannelsState).mentionTotal() + server.get(ThreadsState).mentionTotal();
  }

  /**
   * Adds the server once it answered at the address typed and names that address as its own;
   * otherwise says why not (an https:// guess a plain-http server refused, 127.0.0.1 vs localhost)
   * and offers the address to add instead. An address added earlier is only selected.
   */
  async add(address: string): Promise<void> {
    const attempt = ++this.attempt;
    const origin = serverOrigin(address);
    if (origin && this.servers.servers().some((s) => s.url === origin)) {
      this.addNow(origin);
      return;
    }
    this.hint.set(null);
    this.checking.set(true);
    const check = await checkServerAddress(address, {
      serverInfo: (url) => this.servers.serverInfo(url),
      pageProtocol: this.document.location.protocol,
    });
    if (attempt !== this.attempt) return;
    this.checking.set(false);
    if (check.kind === 'ok') this.addNow(check.origin);
    else this.hint.set(addServerHint(check));
  }

  addNow(origin: string): void {
    const server = this.servers.add(origin);
    this.selection.selectServer(server);
    this.close();
  }

  close(): void {
    this.attempt += 1;
    this.adding.set(false);
    this.checking.set(false);
    this.hint.set(null);
  }
}
