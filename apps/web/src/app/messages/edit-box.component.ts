import { ChangeDetectionStrategy, Component, input, type OnInit, output, signal } from '@angular/core';

import { Autofocus } from '../shared/autofocus.directive';

/**
 * Inline editing of a message: Enter saves, Shift+Enter is a new line, Esc cancels (and only
 * cancels: the document's Escape, marking the channel read, does not see it).
 */
@Component({
  selector: 'mq-edit-box',
  imports: [Autofocus],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <textarea
      #box
      rows="2"
      [value]="text()"
      (input)="text.set(box.value)"
      (keydown.enter)="onEnter($event)"
      (keydown.escape)="$event.stopPropagation(); cancelled.emit()"
      mqAutofocus
      data-test="edit-box"
    ></textarea>
    <small
      >Enter to save · Esc to cancel
      @if (text().length > maxLength()) {
        · <span class="over">{{ text().length }}/{{ maxLength() }}</span>
      }
    </small>
  `,
  styles: `
    :host {
      display: grid;
      gap: 4px;
    }
    textarea {
      width: 100%;
      box-sizing: border-box;
      resize: vertical;
    }
    small {
      color: var(--mq-text-muted);
    }
    .over {
      color: var(--mq-danger);
    }
  `,
})
export class EditBox implements OnInit {
  readonly content = input.required<string>();
  readonly maxLength = input(4000);
  readonly saved = output<string>();
  readonly cancelled = output();
  readonly text = signal('');

  ngOnInit(): void {
    this.text.set(this.content());
  }

  onEnter(event: Event): void {
    if ((event as KeyboardEvent).shiftKey) return;
    event.preventDefault();
    const text = this.text().trim();
    if (!text || text.length > this.maxLength()) return;
    if (text === this.content()) this.cancelled.emit();
    else this.saved.emit(text);
  }
}
