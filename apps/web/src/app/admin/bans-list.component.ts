import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';

import type { BanDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';
import { type ConfirmOptions, injectDialogs } from '../shared/dialogs';
import { serverList } from './server-list';

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The banned keys (`bans.list`, `ban`), each with an Unban button (`members.unban`); a settings section. */
@Component({
  selector: 'mq-bans-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-test="bans-list">
      <ol>
        @for (ban of bans(); track ban.publicKey) {
          <li data-test="ban-entry" [attr.data-key]="ban.publicKey">
            <span class="key" [attr.title]="ban.publicKey">{{ ban.publicKey.slice(0, 12) }}…</span>
            <span class="reason">“{{ ban.reason }}”</span>
            <time [attr.datetime]="ban.bannedAt">{{ when(ban.bannedAt) }}</time>
            <span class="by">by {{ members().memberName(ban.bannedBy) }}</span>
            <button
              type="button"
              class="button small"
              (click)="unban(ban)"
              [disabled]="busy() !== null"
              data-test="unban"
            >
              {{ busy() === ban.publicKey ? 'Unbanning…' : 'Unban' }}
            </button>
          </li>
        } @empty {
          @if (!loading()) {
            <li class="muted">Nobody is banned.</li>
          }
        }
      </ol>
      @if (error(); as message) {
        <p class="error" role="alert" data-test="bans-error">{{ message }}</p>
      }
      @if (loading()) {
        <p class="muted">Loading…</p>
      }
    </section>
  `,
  styles: `
    ol {
      list-style: none;
      margin: 0 0 12px;
      padding: 0;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mq-border);
      font-size: 13px;
    }
    li .button {
      margin-left: auto;
    }
    .key {
      font-family: monospace;
      font-weight: 600;
    }
    .reason {
      overflow-wrap: anywhere;
    }
    time,
    .by,
    .muted {
      color: var(--mq-text-muted);
    }
    .error {
      color: var(--mq-danger);
    }
  `,
})
export class BansList {
  readonly server = input.required<ServerConnection>();
  readonly members = computed(() => this.server().get(MembersState));
  private readonly list = serverList(this.server, (server) => server.session.request('bans.list', {}));
  readonly bans = this.list.items;
  readonly loading = this.list.loading;
  /** The key being unbanned. */
  readonly busy = signal<string | null>(null);
  readonly error = this.list.error;
  private readonly dialogs = injectDialogs();

  /** The app's confirmation; replaceable in tests. */
  confirm(options: ConfirmOptions): Promise<boolean> {
    return this.dialogs.confirm(options);
  }

  refresh(): Promise<void> {
    return this.list.refresh();
  }

  async unban(ban: BanDto): Promise<void> {
    if (this.busy() !== null) return;
    const sure = await this.confirm({
      title: 'Unban key',
      message: `Unban ${ban.publicKey.slice(0, 12)}…? It is not authorized again: it needs an invite or an authorization to come back.`,
      confirmLabel: 'Unban',
    });
    if (!sure) return;
    this.busy.set(ban.publicKey);
    this.error.set(null);
    try {
      await this.server().session.request('members.unban', { publicKey: ban.publicKey });
    } catch (error) {
      this.error.set(describeModerationError(error));
      return;
    } finally {
      this.busy.set(null);
    }
    await this.refresh();
  }

  when(at: string): string {
    return AT.format(new Date(at));
  }
}
