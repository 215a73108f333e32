import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import { THREAD_NAME_MAX_LENGTH } from '@mpqcht/protocol/plain';

import { Autofocus } from '../shared/autofocus.directive';

/** A thread's name offered for a message: its first line, without Markdown marks, cut at a word. */
export function suggestedThreadName(content: string): string {
  const line = (content.split('\n').find((l) => l.trim() !== '') ?? '').replace(/[*_`~>#[\]|]/g, '').trim();
  if (line.length <= 40) return line;
  const cut = line.slice(0, 40);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trim()}…`;
}

/**
 * Names a thread, new (the message's first words offered; Create starts it) or renamed (its name
 * offered). The opener acts on the name (`named`) and closes the dialog, or reports why it could
 * not (`failed`).
 */
@Component({
  selector: 'mq-start-thread',
  imports: [Autofocus],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrls: ['../shared/dialog.css'],
  template: `
    <form
      class="dialog narrow"
      data-test="start-thread"
      (submit)="$event.preventDefault(); submit(name.value)"
    >
      <header>
        <h2>{{ heading() }}</h2>
        <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
      </header>
      <label class="field">
        <span>Thread name</span>
        <input
          #name
          mqAutofocus
          [value]="suggestion()"
          [maxLength]="maxLength"
          required
          data-test="thread-name"
          (input)="error.set(null)"
        />
      </label>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      <footer>
        <button type="button" class="button" (click)="closed.emit()">Cancel</button>
        <button type="submit" class="button primary" [disabled]="busy()" data-test="thread-create">
          {{ action() }}
        </button>
      </footer>
    </form>
  `,
  styles: `
    input {
      padding: 8px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      background: var(--mq-background);
      color: var(--mq-text);
      font: inherit;
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
      font-size: 13px;
    }
    footer {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
})
export class StartThreadDialog {
  readonly suggestion = input('');
  readonly heading = input('Start a thread');
  readonly action = input('Create thread');
  readonly closed = output();
  /** The name chosen; the opener creates the thread. */
  readonly named = output<string>();
  readonly maxLength = THREAD_NAME_MAX_LENGTH;
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);

  submit(value: string): void {
    const name = value.trim();
    if (!name) {
      this.error.set('Give the thread a name.');
      return;
    }
    this.busy.set(true);
    this.named.emit(name);
  }

  /** The thread could not be started: why, and the form is usable again. */
  failed(message: string): void {
    this.busy.set(false);
    this.error.set(message);
  }
}
