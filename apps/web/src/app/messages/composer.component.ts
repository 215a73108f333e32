import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  type ElementRef,
  inject,
  Injector,
  input,
  output,
  type Signal,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MarkdownComponent } from 'ngx-markdown';

import { Countdown } from '../shared/countdown';
import {
  completeMention,
  findTrigger,
  matchNames,
  type MentionSigil,
  type MentionTrigger,
  type Nameable,
} from './mention-text';

/** A member or channel the composer offers after `@` or `#`. */
export interface MentionOption extends Nameable {
  /** Shown muted after the name: "you", a channel's topic. */
  readonly detail: string;
  /** A member's presence; undefined for a channel. */
  readonly online?: boolean;
}

let composerIds = 0;
const NONE: Signal<readonly MentionOption[]> = signal([]);

/**
 * Writing a message: Enter sends, Shift+Enter starts a new line, Up in an empty box edits the last
 * own message, a preview shows the Markdown as it will render, and the length limit shows as the
 * text nears it. Typing `@` or `#` offers members or channels (a WAI-ARIA combobox: Up/Down
 * choose, Enter or Tab insert, Escape closes, a click inserts); what it inserts is the syntax the
 * server reads as a mention.
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
        <!-- No aria-multiline: a combobox may not carry it (axe aria-allowed-attr). -->
        <textarea
          #box
          rows="1"
          role="combobox"
          aria-autocomplete="list"
          [attr.aria-expanded]="open()"
          [attr.aria-controls]="open() ? listboxId : null"
          [attr.aria-activedescendant]="open() ? optionId(activeIndex()) : null"
          [attr.placeholder]="placeholder()"
          [disabled]="disabled()"
          [value]="text()"
          (input)="onInput(box.value, box.selectionStart)"
          (keydown)="onKey($event)"
          (keyup)="onCaret(box)"
          (click)="onCaret(box)"
          (blur)="blurred()"
          (focus)="refocused()"
          aria-label="Message"
          data-test="composer"
        ></textarea>
        @if (open()) {
          <ul
            class="suggestions"
            role="listbox"
            [id]="listboxId"
            [attr.aria-label]="trigger()?.sigil === '#' ? 'Channels' : 'Members'"
            data-test="mention-list"
          >
            @for (option of options(); track option.id; let i = $index) {
              <!-- The keyboard reaches options through the combobox (aria-activedescendant), not focus. -->
              <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
              <li
                role="option"
                [id]="optionId(i)"
                [attr.aria-selected]="i === activeIndex()"
                [class.active]="i === activeIndex()"
                (mousedown)="$event.preventDefault()"
                (mousemove)="active.set(i)"
                (click)="pick(i)"
                data-test="mention-option"
              >
                @if (option.online !== undefined) {
                  <span class="dot" [class.on]="option.online" aria-hidden="true"></span>
                }
                <span class="name"
                  ><span class="sigil" aria-hidden="true">{{ trigger()?.sigil }}</span
                  >{{ option.name }}</span
                >
                @if (option.detail) {
                  <!-- The space keeps the accessible name readable ("Ada you"); flex shows none. -->
                  {{ ' ' }}<span class="detail">{{ option.detail }}</span>
                }
              </li>
            }
          </ul>
        }
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
      position: relative;
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
    .suggestions {
      position: absolute;
      /* Flush with the form's border, so nothing behind peeks out at the edges. */
      left: -1px;
      right: -1px;
      bottom: calc(100% + 4px);
      z-index: 5;
      margin: 0;
      padding: 4px;
      list-style: none;
      max-height: 280px;
      overflow-y: auto;
      border: 1px solid var(--mq-border);
      border-radius: 8px;
      background: var(--mq-surface);
      box-shadow: 0 4px 16px rgb(0 0 0 / 30%);
    }
    [role='option'] {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 6px 8px;
      border-left: 2px solid transparent;
      border-radius: 0 var(--mq-radius) var(--mq-radius) 0;
      cursor: pointer;
    }
    [role='option'].active {
      border-left-color: var(--mq-accent);
      background: var(--mq-surface-2);
    }
    .sigil {
      color: var(--mq-text-muted);
    }
    .name {
      font-weight: 600;
      white-space: nowrap;
    }
    .detail {
      overflow: hidden;
      color: var(--mq-text-muted);
      font-size: 13px;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .dot {
      flex: none;
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--mq-text-muted);
    }
    .dot.on {
      background: #23a55a;
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
  /**
   * Members who can read the channel, offered after `@` (best first when they match equally). A
   * signal, read only while a mention is typed: presence changes it often, and it sorts them all.
   */
  readonly members = input<Signal<readonly MentionOption[]>>(NONE);
  /** Channels offered after `#` (a signal, like `members`). */
  readonly channels = input<Signal<readonly MentionOption[]>>(NONE);
  /** A mention is being typed: the pane makes sure the members it offers are current. */
  readonly mentioning = output<MentionSigil>();

  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');
  private readonly injector = inject(Injector);
  readonly listboxId = `mq-mentions-${++composerIds}`;
  readonly text = signal('');
  /** Where the caret is in the text. */
  readonly caret = signal(0);
  /** The start of a mention whose suggestions were closed (Escape, a pick, leaving the box). */
  private readonly dismissed = signal<number | null>(null);
  /** The highlighted suggestion. */
  readonly active = signal(0);
  readonly trigger = computed(() => findTrigger(this.text(), this.caret()));
  readonly options = computed<readonly MentionOption[]>(() => {
    const trigger = this.trigger();
    if (!trigger || trigger.start === this.dismissed()) return [];
    return matchNames(trigger.sigil === '@' ? this.members()() : this.channels()(), trigger.query);
  });
  readonly open = computed(() => this.options().length > 0 && !this.preview() && !this.disabled());
  readonly activeIndex = computed(() => Math.max(0, Math.min(this.active(), this.options().length - 1)));
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

  optionId(index: number): string {
    return `${this.listboxId}-${index}`;
  }

  onInput(value: string, caret: number | null): void {
    this.text.set(value);
    this.moveCaret(caret ?? value.length);
    if (value) this.typed.emit();
  }

  /** The caret moved (keys, a click): the mention being typed may have changed. */
  onCaret(box: HTMLTextAreaElement): void {
    if (box.value === this.text()) this.moveCaret(box.selectionStart);
  }

  /** Leaving the box closes the suggestions of the mention being typed. */
  blurred(): void {
    this.dismissed.set(this.trigger()?.start ?? null);
  }

  /** Back in the box: the mention at the caret, if any, offers its suggestions again. */
  refocused(): void {
    this.dismissed.set(null);
  }

  /**
   * Synchronously (a key pressed right after typing must see it): a new mention, or a new query,
   * starts with the first suggestion highlighted; none being typed forgets what was dismissed.
   */
  private moveCaret(caret: number): void {
    const before = this.trigger();
    this.caret.set(caret);
    const after = this.trigger();
    if (!after) this.dismissed.set(null);
    else if (before?.start !== after.start || before.query !== after.query) {
      this.active.set(0);
      if (after.start !== this.dismissed()) this.mentioning.emit(after.sigil);
    }
  }

  /** Inserts the suggestion at `index` for the mention being typed, and puts the caret after it. */
  pick(index: number): void {
    const trigger = this.trigger();
    const option = this.options()[index];
    if (!trigger || !option) return;
    this.insert(trigger, option.name);
  }

  private insert(trigger: MentionTrigger, name: string): void {
    const { text, caret } = completeMention(this.text(), trigger, name);
    this.text.set(text);
    this.caret.set(caret);
    // The inserted name is done: the same mention offers nothing more.
    this.dismissed.set(trigger.start);
    const box = this.box()?.nativeElement;
    if (box) {
      box.value = text;
      box.focus();
      box.setSelectionRange(caret, caret);
    }
    // The [value] binding writes the same text again on the next render: put the caret back after
    // it, unless something was typed since (that is in the text, and the caret is where it was).
    afterNextRender(
      {
        write: () => {
          if (box && this.text() === text && box.value === text) box.setSelectionRange(caret, caret);
        },
      },
      { injector: this.injector },
    );
    this.typed.emit();
  }

  onKey(event: KeyboardEvent): void {
    if (this.open() && this.onSuggestionKey(event)) {
      // Handled here only: not the document's Escape (mark read) or Alt+arrows, nor the list's keys.
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && this.text() === '') {
      event.preventDefault();
      this.editLast.emit();
    }
  }

  /** The keys of the open suggestions; false for a key they leave to the box. */
  private onSuggestionKey(event: KeyboardEvent): boolean {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return false;
    const count = this.options().length;
    switch (event.key) {
      case 'ArrowDown':
        this.active.set((this.activeIndex() + 1) % count);
        return true;
      case 'ArrowUp':
        this.active.set((this.activeIndex() - 1 + count) % count);
        return true;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.pick(this.activeIndex());
        return true;
      case 'Escape':
        this.dismissed.set(this.trigger()?.start ?? null);
        return true;
      default:
        return false;
    }
  }

  send(): void {
    const content = this.text();
    if (!content.trim() || this.tooLong() || this.countdown.running()) return;
    this.sent.emit(content);
    this.text.set('');
    this.caret.set(0);
    this.dismissed.set(null);
    this.preview.set(false);
  }
}
