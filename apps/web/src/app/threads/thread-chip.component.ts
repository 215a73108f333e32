import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import type { ThreadView } from './threads.state';

/** A speech bubble with lines: a thread (the start button, the chip, the panel's header). */
export const THREAD_ICON = 'M4 5h16v11H9l-5 4V5zM8 9h8M8 12h5';

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday": when the thread last had a message. */
export function sinceText(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size)
      return unit === 'second' && Math.abs(value) < 45 ? 'just now' : RELATIVE.format(value, unit);
    value = Math.round(value / size);
  }
  return RELATIVE.format(value, 'year');
}

/**
 * Under a message that grew a thread: its name, how many messages, who wrote last and when, and
 * its unread count for a follower. Opens the thread.
 */
@Component({
  selector: 'mq-thread-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let t = thread();
    <button
      type="button"
      class="chip"
      [class.unread]="t.unread > 0"
      (click)="opened.emit()"
      [attr.aria-label]="label()"
      data-test="thread-chip"
      [attr.data-thread]="t.streamId"
    >
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path [attr.d]="icon" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
      </svg>
      <span class="name">{{ t.name }}</span>
      <span class="count" data-test="thread-count">{{ countText() }}</span>
      @if (names().length > 0) {
        <span class="who">{{ names().join(', ') }}</span>
      }
      <span class="when">{{ when() }}</span>
      @if (t.unread > 0) {
        <span class="badge" data-test="thread-unread">{{ t.unread }} new</span>
      }
      @if (t.locked) {
        <span class="state">locked</span>
      } @else if (t.archived) {
        <span class="state">archived</span>
      }
    </button>
  `,
  styles: `
    .chip {
      display: flex;
      align-items: center;
      gap: 8px;
      max-width: min(560px, 100%);
      margin: 6px 0 2px;
      padding: 6px 10px;
      border: 1px solid var(--mq-border);
      border-radius: 8px;
      background: var(--mq-surface);
      color: var(--mq-text-muted);
      font: inherit;
      font-size: 13px;
      cursor: pointer;
      text-align: left;
    }
    .chip:hover,
    .chip:focus-visible {
      border-color: var(--mq-accent);
    }
    .chip svg {
      flex: none;
      color: var(--mq-accent);
    }
    .name {
      color: var(--mq-text);
      font-weight: 600;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .count {
      color: var(--mq-link);
      white-space: nowrap;
    }
    .who,
    .when {
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .badge {
      padding: 1px 6px;
      border-radius: 8px;
      background: var(--mq-danger);
      color: #fff;
      font-size: 11px;
      font-weight: 700;
      white-space: nowrap;
    }
    .state {
      font-style: italic;
    }
  `,
})
export class ThreadChip {
  readonly thread = input.required<ThreadView>();
  /** Display names of its latest authors. */
  readonly names = input<readonly string[]>([]);
  readonly opened = output();
  readonly icon = THREAD_ICON;

  readonly countText = computed(() => {
    const n = this.thread().messageCount;
    return n === 0 ? 'no replies yet' : n === 1 ? '1 message' : `${n} messages`;
  });
  readonly when = computed(() => sinceText(this.thread().lastMessageAt, Date.now()));
  readonly label = computed(
    () =>
      `Thread ${this.thread().name}, ${this.countText()}${this.thread().unread > 0 ? `, ${this.thread().unread} new` : ''}`,
  );
}
