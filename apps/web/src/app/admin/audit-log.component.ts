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

import type { AuditEntryDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { MemberModeration } from '../roster/member-moderation';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The server's audit log (`audit.list`), newest first, paged with "Load more"; opened as a dialog. */
@Component({
  selector: 'mq-audit-log',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog" data-test="audit-log">
      <header>
        <h2>Audit log</h2>
        <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
      </header>
      <ol>
        @for (entry of entries(); track entry.id) {
          <li data-test="audit-entry" [attr.data-action]="entry.action">
            <time [attr.datetime]="entry.at">{{ when(entry.at) }}</time>
            <span class="actor">{{ members().memberName(entry.actor) }}</span>
            <span class="action">{{ label(entry) }}</span>
            <span class="target">{{ target(entry) }}</span>
            @if (detail(entry); as text) {
              <span class="detail">{{ text }}</span>
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
      gap: 6px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mq-border);
      font-size: 13px;
    }
    time,
    .detail,
    .muted {
      color: var(--mq-text-muted);
    }
    .actor {
      font-weight: 600;
    }
    .target {
      overflow-wrap: anywhere;
    }
    .error {
      color: var(--mq-danger);
    }
  `,
})
export class AuditLog {
  readonly server = input.required<ServerConnection>();
  readonly members = computed(() => this.server().get(MembersState));
  readonly closed = output();
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

  label(entry: AuditEntryDto): string {
    return entry.action.replace('.', ' ').replace('_', ' ');
  }

  target(entry: AuditEntryDto): string {
    if (entry.action === 'message.removed') return `message ${entry.target.slice(0, 8)}…`;
    return this.members().members().has(entry.target)
      ? this.members().memberName(entry.target)
      : `${entry.target.slice(0, 12)}…`;
  }

  detail(entry: AuditEntryDto): string {
    const d = entry.details;
    const parts: string[] = [];
    if (Array.isArray(d['before']) && Array.isArray(d['after'])) {
      parts.push(`roles ${d['before'].join(', ') || '—'} → ${d['after'].join(', ') || '—'}`);
    }
    if (typeof d['reason'] === 'string') parts.push(`“${d['reason']}”`);
    if (typeof d['channelId'] === 'string') parts.push(`in #${d['channelId']}`);
    return parts.join(' · ');
  }
}
