import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  type ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MarkdownComponent } from 'ngx-markdown';

import { Countdown } from '../shared/countdown';

/**
 * Writing a message: Enter sends, Shift+Enter starts a new line, Up in an empty box edits the last
 * own message, a preview shows the Markdown as it will render, and the length limit shows as the
 * text nears it.
 */
@Component({
  selector: 'mq-composer',
  imports: [MarkdownComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="composer" (submit)="$event.preventDefault(); send()">
      @if (preview()) {
        <div class="preview" data-test="preview">
          @if (text().trim()) {
            <markdown [data]="text()" />
          } @else {
            <span class="muted">Nothing to preview</span>
          }
        </div>
      } @else {
        <textarea
          #box
          rows="1"
          [attr.placeholder]="placeholder()"
          [disabled]="disabled()"
          [value]="text()"
          (input)="onInput(box.value)"
          (keydown)="onKey($event)"
          aria-label="Message"
          data-test="composer"
        ></textarea>
      }
      <div class="tools">
        @if (nearLimit()) {
          <span class="count" [class.over]="tooLong()" data-test="length"
            >{{ length() }}/{{ maxLength() }}</span
          >
        }
        <button
          type="button"
          class="toggle"
          [attr.aria-pressed]="preview()"
          (click)="preview.set(!preview())"
          title="Preview Markdown"
          data-test="preview-toggle"
        >
          {{ preview() ? 'Write' : 'Preview' }}
        </button>
      </div>
    </form>
    @if (countdown.running()) {
      <p class="limit" role="status" data-test="rate-limited">
        You can send again in {{ countdown.seconds() }} s
      </p>
    } @else if (slowmodeSeconds() > 0) {
      <p class="note" data-test="slowmode">Slowmode: one message every {{ slowmodeSeconds() }} s</p>
    }
    @if (tooLong()) {
      <p class="limit" role="alert">
        This message is {{ length() - maxLength() }} characters over the limit of {{ maxLength() }}.
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 0 16px 16px;
    }
    .composer {
      display: flex;
      align-items: flex-end;
      gap: 8px;
      padding: 8px 12px;
      border: 1px solid var(--mq-border);
      border-radius: 8px;
      background: var(--mq-surface);
    }
    textarea {
      flex: 1;
      border: none;
      background: none;
      color: var(--mq-text);
      font: inherit;
      line-height: 1.45;
      resize: none;
      max-height: 40vh;
      field-sizing: content;
      outline: none;
    }
    .preview {
      flex: 1;
      min-height: 22px;
    }
    .preview ::ng-deep p {
      margin: 0;
    }
    .tools {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .count {
      font-size: 12px;
      color: var(--mq-text-muted);
    }
    .count.over,
    .limit {
      color: var(--mq-danger);
    }
    .limit {
      margin: 4px 0 0;
      font-size: 13px;
    }
    .note {
      margin: 4px 0 0;
      font-size: 12px;
      color: var(--mq-text-muted);
    }
    .toggle {
      border: none;
      background: none;
      color: var(--mq-text-muted);
      cursor: pointer;
      font: inherit;
      font-size: 13px;
    }
    .muted {
      color: var(--mq-text-muted);
    }
  `,
})
export class Composer {
  readonly placeholder = input('Message');
  readonly maxLength = input(4000);
  readonly disabled = input(false);
  /** When (epoch ms) a rate-limited send may go again; null when nothing is waiting. */
  readonly retryAt = input<number | null>(null);
  /** The channel's slowmode for this member (0 for none). */
  readonly slowmodeMs = input(0);
  readonly sent = output<string>();
  readonly typed = output();
  readonly editLast = output();

  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');
  readonly text = signal('');
  readonly preview = signal(false);
  /** Code points, as the server counts them. */
  readonly length = computed(() => Array.from(this.text()).length);
  readonly nearLimit = computed(() => this.length() >= this.maxLength() * 0.8);
  readonly tooLong = computed(() => this.length() > this.maxLength());
  readonly slowmodeSeconds = computed(() => Math.ceil(this.slowmodeMs() / 1000));
  readonly countdown = new Countdown();

  constructor() {
    effect(() => {
      const retryAt = this.retryAt();
      untracked(() => this.countdown.start(retryAt));
    });
    inject(DestroyRef).onDestroy(() => this.countdown.stop());
  }

  focus(): void {
    this.box()?.nativeElement.focus();
  }

  onInput(value: string): void {
    this.text.set(value);
    if (value) this.typed.emit();
  }

  onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && this.text() === '') {
      event.preventDefault();
      this.editLast.emit();
    }
  }

  send(): void {
    const content = this.text();
    if (!content.trim() || this.tooLong() || this.countdown.running()) return;
    this.sent.emit(content);
    this.text.set('');
    this.preview.set(false);
  }
}
