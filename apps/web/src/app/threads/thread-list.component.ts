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

import { sinceText, THREAD_ICON } from './thread-chip.component';
import type { ThreadsState, ThreadView } from './threads.state';

/**
 * A channel's threads (the header's Threads button): active ones first, then archived ones, latest
 * activity first, as `threads.list` pages them; the followed ones show what is new. Choosing one
 * opens it in the side panel. Up and Down move between them.
 */
@Component({
  selector: 'mq-thread-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'dialog', 'aria-label': 'Threads', '(keydown.escape)': 'closed.emit()' },
  template: `
    <header>
      <h2>Threads</h2>
      <button type="button" class="close" (click)="closed.emit()" aria-label="Close the thread list">
        ×
      </button>
    </header>
    @if (error(); as message) {
      <p class="note" role="alert">{{ message }}</p>
    } @else if (loading()) {
      <p class="note">Loading…</p>
    } @else if (rows().length === 0) {
      <p class="note" data-test="no-threads">No threads here yet. Start one from a message.</p>
    }
    <!-- Up and Down move between the rows' buttons (which are focusable); the list only listens. -->
    <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -->
    <ul (keydown)="onKey($event)">
      @for (t of rows(); track t.streamId) {
        <li>
          <button
            type="button"
            (click)="chosen.emit(t.streamId)"
            data-test="thread-row"
            [attr.data-thread]="t.streamId"
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                [attr.d]="icon"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linejoin="round"
              />
            </svg>
            <span class="name">{{ t.name }}</span>
            @if (t.unread > 0) {
              <span class="badge">{{ t.unread }} new</span>
            }
            <span class="meta">
              {{ t.messageCount === 1 ? '1 message' : t.messageCount + ' messages' }} ·
              {{ since(t.lastMessageAt) }}{{ t.archived ? ' · archived' : ''
              }}{{ t.locked ? ' · locked' : '' }}
            </span>
          </button>
        </li>
      }
    </ul>
    @if (next() && !loading()) {
      <button type="button" class="more" (click)="more()" data-test="more-threads">More threads</button>
    }
  `,
  styles: `
    :host {
      position: absolute;
      top: 44px;
      right: 12px;
      z-index: 20;
      width: min(380px, 90vw);
      max-height: 60vh;
      display: flex;
      flex-direction: column;
      border: 1px solid var(--mq-border);
      border-radius: 8px;
      background: var(--mq-surface);
      box-shadow: 0 8px 24px rgb(0 0 0 / 35%);
    }
    header {
      display: flex;
      align-items: center;
      padding: 8px 8px 8px 12px;
      border-bottom: 1px solid var(--mq-border);
    }
    h2 {
      margin: 0;
      font-size: 14px;
    }
    .close {
      margin-left: auto;
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font-size: 20px;
      cursor: pointer;
    }
    .note {
      margin: 12px;
      color: var(--mq-text-muted);
      font-size: 13px;
    }
    ul {
      margin: 0;
      padding: 4px;
      list-style: none;
      overflow-y: auto;
    }
    li button {
      display: grid;
      grid-template-columns: 20px minmax(0, 1fr) auto;
      align-items: center;
      gap: 2px 6px;
      width: 100%;
      padding: 6px 8px;
      border: none;
      border-radius: 6px;
      background: none;
      color: var(--mq-text);
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    li button:hover,
    li button:focus-visible {
      background: var(--mq-surface-2);
    }
    svg {
      color: var(--mq-text-muted);
    }
    .name {
      font-weight: 600;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .badge {
      padding: 1px 6px;
      border-radius: 8px;
      background: var(--mq-danger-fill);
      color: #fff;
      font-size: 11px;
      font-weight: 700;
    }
    .more {
      margin: 4px 8px 8px;
      padding: 6px;
      border: none;
      border-radius: 6px;
      background: var(--mq-surface-2);
      color: var(--mq-link);
      font: inherit;
      font-size: 13px;
      cursor: pointer;
    }
    .meta {
      grid-column: 2 / 4;
      color: var(--mq-text-muted);
      font-size: 12px;
    }
  `,
})
export class ThreadList {
  readonly threads = input.required<ThreadsState>();
  readonly channelId = input.required<string>();
  readonly chosen = output<string>();
  readonly closed = output();
  readonly icon = THREAD_ICON;
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  /** The stream ids `threads.list` answered, in its order, page after page. */
  private readonly order = signal<readonly string[]>([]);
  /** The cursor of the next page; null at the end. */
  readonly next = signal<string | null>(null);

  /** The listed threads as they are now (pushes keep them current while the list is open). */
  readonly rows = computed<ThreadView[]>(() => {
    const known = this.threads().threads();
    return this.order().flatMap((id) => known.get(id) ?? []);
  });

  constructor() {
    effect(() => {
      const threads = this.threads();
      const channelId = this.channelId();
      untracked(() => {
        this.loading.set(true);
        this.error.set(null);
        this.order.set([]);
        this.next.set(null);
        this.load(threads, channelId, undefined);
      });
    });
  }

  /** The next page, after the rows shown. */
  more(): void {
    const cursor = this.next();
    if (cursor) this.load(this.threads(), this.channelId(), cursor);
  }

  private load(threads: ThreadsState, channelId: string, cursor: string | undefined): void {
    this.loading.set(true);
    threads
      .list(channelId, cursor)
      .then((page) => {
        if (channelId !== this.channelId()) return;
        this.order.update((ids) => [...ids, ...page.ids.filter((id) => !ids.includes(id))]);
        this.next.set(page.cursor);
      })
      .catch(() => this.error.set('The threads could not be loaded.'))
      .finally(() => this.loading.set(false));
  }

  since(iso: string): string {
    return sinceText(iso, Date.now());
  }

  onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = Array.from((event.currentTarget as HTMLElement).querySelectorAll('button'));
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    next.focus();
  }
}
