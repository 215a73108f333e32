import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MarkdownComponent } from 'ngx-markdown';

import type { TimelineMessage } from '../channels/channel-timeline';
import { injectDialogs } from '../shared/dialogs';
import { ThemePalette } from '../shared/theme-palette';
import { EditBox } from './edit-box.component';

/** A stable hue per author, from their key (ThemePalette makes it readable). */
function authorHue(publicKey: string): number {
  let hash = 0;
  for (let i = 2; i < publicKey.length; i += 4) hash = (hash * 31 + publicKey.charCodeAt(i)) % 360;
  return hash;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

@Component({
  selector: 'mq-message-item',
  imports: [MarkdownComponent, EditBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let m = message();
    <article
      class="message"
      [class.grouped]="grouped()"
      [class.mine]="mine()"
      [class.pending]="m.state === 'pending'"
      [class.failed]="m.state === 'failed'"
      [class.mentioned]="mentioned()"
      [attr.data-message]="m.id ?? m.clientId"
      [attr.data-state]="m.state"
    >
      @if (!grouped()) {
        <header>
          <span class="author" [style.color]="nameColour()">{{ authorName() }}</span>
          <time [attr.datetime]="m.createdAt" [attr.title]="fullTime()">{{ time() }}</time>
        </header>
      } @else {
        <time class="gutter" [attr.datetime]="m.createdAt" [attr.title]="fullTime()">{{ time() }}</time>
      }
      @if (editing()) {
        <mq-edit-box
          [content]="m.content"
          [maxLength]="maxLength()"
          (saved)="edited.emit($event)"
          (cancelled)="editCancelled.emit()"
        />
      } @else {
        <div class="content">
          <markdown [data]="m.content" />
          @if (m.editedAt) {
            <span class="edited" [attr.title]="'Edited ' + m.editedAt">(edited)</span>
          }
        </div>
      }
      @switch (m.state) {
        @case ('pending') {
          <span class="state" data-test="pending">{{
            m.waiting ? 'Waiting for connection…' : 'Sending…'
          }}</span>
        }
        @case ('failed') {
          <span class="state failed-note" role="alert">
            Not sent{{ m.error ? ': ' + m.error : '' }}.
            <button type="button" class="link" (click)="retried.emit()" data-test="retry">Retry</button>
            <button type="button" class="link" (click)="discarded.emit()">Discard</button>
          </span>
        }
      }
      @if ((mine() || canModerate()) && m.state === 'sent' && !editing()) {
        <div class="actions">
          @if (mine()) {
            <button
              type="button"
              title="Edit"
              aria-label="Edit"
              (click)="editStarted.emit()"
              data-test="edit"
            >
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path
                  d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="2"
                  stroke-linejoin="round"
                />
              </svg>
            </button>
          }
          <button
            type="button"
            title="Delete"
            aria-label="Delete"
            (click)="confirmDelete()"
            data-test="delete"
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linejoin="round"
              />
            </svg>
          </button>
        </div>
      }
    </article>
  `,
  styleUrl: './message-item.component.css',
})
export class MessageItem {
  readonly message = input.required<TimelineMessage>();
  readonly authorName = input.required<string>();
  /** The author's top role colour; null for the per-key hue. */
  readonly authorColor = input<string | null>(null);
  readonly grouped = input(false);
  readonly mine = input(false);
  /** A moderator here may delete others' messages. */
  readonly canModerate = input(false);
  readonly mentioned = input(false);
  readonly editing = input(false);
  readonly maxLength = input(4000);
  readonly retried = output();
  readonly discarded = output();
  readonly editStarted = output();
  readonly editCancelled = output();
  readonly edited = output<string>();
  readonly deleted = output();

  private readonly palette = inject(ThemePalette);
  /** The role colour, or a stable hue per key, made readable on this theme's backgrounds. */
  readonly nameColour = computed(() =>
    this.palette.nameColour(this.authorColor(), authorHue(this.message().author)),
  );
  readonly time = computed(() => TIME.format(new Date(this.message().createdAt)));
  readonly fullTime = computed(() => DATE_TIME.format(new Date(this.message().createdAt)));
  private readonly dialogs = injectDialogs();

  async confirmDelete(): Promise<void> {
    const sure = await this.dialogs.confirm({
      title: 'Delete message',
      message: 'Delete this message? This cannot be undone.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (sure) this.deleted.emit();
  }
}
