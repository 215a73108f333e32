import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';

import type { BanDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The banned keys (`bans.list`, `ban`), each with an Unban button (`members.unban`); a dialog. */
@Component({
  selector: 'mq-bans-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog" data-test="bans-list">
      <header>
        <h2>Bans</h2>
        <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
      </header>
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
  styleUrl: '../shared/dialog.css',
  styles: `
    ol {
      list-style: none;
      margin: 12px 0;
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
  readonly closed = output();
  readonly bans = signal<readonly BanDto[]>([]);
  readonly loading = signal(false);
  /** The key being unbanned. */
  readonly busy = signal<string | null>(null);
  readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      this.server();
      untracked(() => void this.refresh());
    });
  }

  /** window.confirm, replaceable in tests. */
  confirm(message: string): boolean {
    return globalThis.confirm(message);
  }

  async refresh(): Promise<void> {
    this.loading.set(true);
    try {
      this.bans.set(await this.server().session.request('bans.list', {}));
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.loading.set(false);
    }
  }

  async unban(ban: BanDto): Promise<void> {
    if (this.busy() !== null) return;
    if (!this.confirm(`Unban ${ban.publicKey.slice(0, 12)}…? The key can log in again.`)) return;
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
