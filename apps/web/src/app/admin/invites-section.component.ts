import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';

import type { InviteDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';
import { type ConfirmOptions, injectDialogs } from '../shared/dialogs';
import { InviteCreator } from './invite-creator.component';
import { serverList } from './server-list';

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What an invite's state is now, for its line in the list. */
function inviteState(invite: InviteDto, now: number): 'live' | 'revoked' | 'expired' | 'used up' {
  if (invite.revokedAt !== null) return 'revoked';
  if (invite.expiresAt !== null && Date.parse(invite.expiresAt) <= now) return 'expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used up';
  return 'live';
}

/** The settings' Invites section: make a link, and the invites made so far (`invites.list`), with Revoke. */
@Component({
  selector: 'mq-invites-section',
  imports: [InviteCreator],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h4>New link</h4>
    <mq-invite-creator [server]="server()" (created)="refresh()" />
    <h4>Links made so far</h4>
    <ol data-test="invite-list">
      @for (invite of rows(); track invite.id) {
        <li data-test="invite-entry" [attr.data-id]="invite.id" [attr.data-state]="invite.state">
          <span class="uses">
            {{ invite.uses }}{{ invite.maxUses === null ? '' : ' / ' + invite.maxUses }}
            {{ invite.maxUses === 1 ? 'use' : 'uses' }}
          </span>
          <span class="state" [class.live]="invite.state === 'live'">{{ invite.state }}</span>
          <span class="muted">
            by {{ members().memberName(invite.createdBy) }} · {{ when(invite.createdAt) }}
            @if (invite.expiresAt && invite.state === 'live') {
              · expires {{ when(invite.expiresAt) }}
            }
          </span>
          @if (invite.note) {
            <span class="note">“{{ invite.note }}”</span>
          }
          @if (invite.state === 'live') {
            <button
              type="button"
              class="button small danger"
              (click)="revoke(invite)"
              [disabled]="busy() !== null"
              data-test="revoke-invite"
            >
              {{ busy() === invite.id ? 'Revoking…' : 'Revoke' }}
            </button>
          }
        </li>
      } @empty {
        @if (!loading()) {
          <li class="muted">No invites yet.</li>
        }
      }
    </ol>
    @if (error(); as message) {
      <p class="error" role="alert" data-test="invites-error">{{ message }}</p>
    }
    @if (loading()) {
      <p class="muted">Loading…</p>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    h4 {
      margin: 8px 0 0;
      font-size: 14px;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 10px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mq-border);
      font-size: 13px;
    }
    li .button {
      margin-left: auto;
    }
    .uses {
      font-weight: 600;
    }
    .state {
      padding: 0 6px;
      border: 1px solid var(--mq-border);
      border-radius: 10px;
      color: var(--mq-text-muted);
    }
    .state.live {
      color: var(--mq-text);
    }
    .note {
      flex-basis: 100%;
      overflow-wrap: anywhere;
    }
    .muted {
      color: var(--mq-text-muted);
      margin: 0;
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
    }
  `,
})
export class InvitesSection {
  readonly server = input.required<ServerConnection>();
  readonly members = computed(() => this.server().get(MembersState));
  private readonly list = serverList(this.server, (server) => server.session.request('invites.list', {}));
  readonly invites = this.list.items;
  readonly rows = computed(() => {
    const now = this.server().session.now();
    return this.invites().map((invite) => ({ ...invite, state: inviteState(invite, now) }));
  });
  readonly loading = this.list.loading;
  /** The id of the invite being revoked. */
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

  async revoke(invite: InviteDto): Promise<void> {
    if (this.busy() !== null) return;
    const sure = await this.confirm({
      title: 'Revoke invite',
      message: 'Nobody will be able to join with this link any more. People who joined with it stay.',
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (!sure) return;
    this.busy.set(invite.id);
    this.error.set(null);
    try {
      await this.server().session.request('invites.revoke', { id: invite.id });
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
