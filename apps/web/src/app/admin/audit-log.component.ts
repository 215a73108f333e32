import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  signal,
  untracked,
} from '@angular/core';

import type { AuditEntryDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { MemberModeration } from '../roster/member-moderation';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';
import { auditDetails } from './audit-details';

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The server's audit log (`audit.list`), newest first, paged with "Load more"; the settings' Audit
 * log section. Every detail of an entry is shown, wrapped, never cut off.
 */
@Component({
  selector: 'mq-audit-log',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ol data-test="audit-log">
      @for (entry of entries(); track entry.id) {
        <li data-test="audit-entry" [attr.data-action]="entry.action">
          <div class="line">
            <span class="actor">{{ actor(entry) }}</span>
            <span class="action">{{ label(entry) }}</span>
            <span class="target" [attr.title]="entry.target">{{ target(entry) }}</span>
            <time [attr.datetime]="entry.at">{{ when(entry.at) }}</time>
          </div>
          @if (details(entry); as details) {
            @if (details.length > 0) {
              <dl class="details" data-test="audit-details">
                @for (detail of details; track $index) {
                  <div>
                    <dt>{{ detail.label }}</dt>
                    <dd>{{ detail.value }}</dd>
                  </div>
                }
              </dl>
            }
          }
        </li>
      } @empty {
        @if (!loading()) {
          <li class="muted">Nothing recorded yet.</li>
        }
      }
    </ol>
    @if (error(); as message) {
      <p class="error" role="alert">{{ message }}</p>
    }
    @if (loading()) {
      <p class="muted">Loading…</p>
    } @else if (hasMore()) {
      <button type="button" class="button small" (click)="loadMore()" data-test="audit-more">
        Load more
      </button>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 8px;
      justify-items: start;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      justify-self: stretch;
    }
    li {
      display: grid;
      gap: 4px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mq-border);
      font-size: 13px;
      min-width: 0;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 2px 6px;
    }
    .line time {
      margin-left: auto;
    }
    time,
    .muted,
    dt {
      color: var(--mq-text-muted);
    }
    .actor {
      font-weight: 600;
    }
    .target {
      overflow-wrap: anywhere;
    }
    .details {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 14px;
      margin: 0;
    }
    .details div {
      display: flex;
      gap: 4px;
      min-width: 0;
      max-width: 100%;
    }
    dt::after {
      content: ':';
    }
    dd {
      margin: 0;
      min-width: 0;
      overflow-wrap: anywhere;
      white-space: pre-wrap;
    }
    .muted {
      margin: 0;
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
    }
  `,
})
export class AuditLog {
  readonly server = input.required<ServerConnection>();
  readonly members = computed(() => this.server().get(MembersState));
  readonly entries = signal<readonly AuditEntryDto[]>([]);
  readonly hasMore = signal(false);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      this.server();
      // Only the server is a dependency: loading reads and writes the entries.
      untracked(() => {
        this.entries.set([]);
        void this.loadMore();
      });
    });
  }

  async loadMore(): Promise<void> {
    if (this.loading()) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const before = this.entries().at(-1)?.id;
      const page = await this.server().get(MemberModeration).auditPage(before);
      this.entries.update((entries) => [...entries, ...page.entries]);
      this.hasMore.set(page.hasMore);
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.loading.set(false);
    }
  }

  when(at: string): string {
    return AT.format(new Date(at));
  }

  actor(entry: AuditEntryDto): string {
    // CONFIG_FILE_ACTOR: an edit of config.toml on disk (the client imports only types from the protocol).
    return entry.actor === 'file' ? 'config.toml on disk' : this.members().memberName(entry.actor);
  }

  label(entry: AuditEntryDto): string {
    return entry.action.replace('.', ' ').replace('_', ' ');
  }

  target(entry: AuditEntryDto): string {
    if (entry.action === 'message.removed') return `message ${entry.target.slice(0, 8)}…`;
    if (entry.action.startsWith('invite.')) return `invite #${entry.target}`;
    if (entry.action.startsWith('config.')) return entry.target;
    return this.members().memberName(entry.target);
  }

  details(entry: AuditEntryDto) {
    const members = this.members();
    return auditDetails(
      entry.details,
      (key) => members.memberName(key),
      (roleId) => members.roles().get(roleId)?.name ?? roleId,
    );
  }
}
