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

import { RequestFailed } from '../connection/request-failed';
import type { ServerConnection } from '../connection/server-connection';
import { describeModerationError } from '../roster/moderation-error';

/**
 * Edits config.toml (`manage_config`): `config.get`, then `config.replace` with the hash the edit
 * started from. The server's validation messages are shown above the text, which is kept.
 * Opened as a dialog whose Escape and backdrop call cancel(), which asks before dropping edits.
 */
@Component({
  selector: 'mq-config-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog" data-test="config-editor">
      <header>
        <h2>config.toml</h2>
        <button type="button" class="close" (click)="cancel()" aria-label="Close">×</button>
      </header>
      @if (errors().length > 0) {
        <ul class="errors" role="alert" data-test="config-errors">
          @for (line of errors(); track $index) {
            <li>{{ line }}</li>
          }
        </ul>
      }
      @if (conflict()) {
        <p class="error" role="alert" data-test="config-conflict">
          config.toml changed on the server since you opened it.
          <button type="button" class="button small" (click)="reload()" data-test="config-reload">
            Reload
          </button>
        </p>
      }
      @if (error(); as message) {
        <p class="error" role="alert" data-test="config-error">{{ message }}</p>
      }
      @if (loaded() === null && loading()) {
        <p class="muted">Loading…</p>
      } @else {
        <textarea
          spellcheck="false"
          aria-label="config.toml"
          data-test="config-text"
          [value]="text()"
          (input)="text.set($any($event.target).value)"
          [disabled]="loaded() === null"
        ></textarea>
      }
      <footer>
        <button type="button" class="button small" (click)="cancel()" data-test="config-cancel">
          Cancel
        </button>
        <button
          type="button"
          class="button small primary"
          (click)="save()"
          [disabled]="saving() || loaded() === null"
          data-test="config-save"
        >
          {{ saving() ? 'Saving…' : 'Save' }}
        </button>
      </footer>
    </section>
  `,
  styles: `
    .dialog {
      box-sizing: border-box;
      width: min(860px, 94vw);
      max-height: 86vh;
      overflow-y: auto;
      padding: 16px;
      border-radius: 8px;
      background: var(--mq-surface);
      border: 1px solid var(--mq-border);
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    header,
    footer {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    footer {
      justify-content: flex-end;
    }
    h2 {
      margin: 0;
      font-size: 18px;
      font-family: monospace;
    }
    .close {
      margin-left: auto;
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font-size: 20px;
      cursor: pointer;
    }
    textarea {
      width: 100%;
      box-sizing: border-box;
      min-height: 50vh;
      resize: vertical;
      padding: 8px;
      font-family: monospace;
      font-size: 13px;
      background: var(--mq-surface-2);
      color: var(--mq-text);
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
    }
    .errors {
      margin: 0;
      padding: 6px 8px 6px 24px;
      font-family: monospace;
      font-size: 12px;
      color: var(--mq-danger);
      border: 1px solid var(--mq-danger);
      border-radius: var(--mq-radius);
      overflow-wrap: anywhere;
    }
    .muted {
      color: var(--mq-text-muted);
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
    }
  `,
})
export class ConfigEditor {
  readonly server = input.required<ServerConnection>();
  readonly closed = output();
  /** What `config.get` returned: the text and hash the edit started from. */
  readonly loaded = signal<{ readonly text: string; readonly hash: string } | null>(null);
  readonly text = signal('');
  readonly loading = signal(false);
  readonly saving = signal(false);
  /** The server's validation messages (key path first), one per line. */
  readonly errors = signal<readonly string[]>([]);
  readonly conflict = signal(false);
  readonly error = signal<string | null>(null);
  readonly dirty = computed(() => {
    const loaded = this.loaded();
    return loaded !== null && this.text() !== loaded.text;
  });

  constructor() {
    effect(() => {
      this.server();
      untracked(() => void this.load());
    });
  }

  /** window.confirm, replaceable in tests. */
  confirm(message: string): boolean {
    return globalThis.confirm(message);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const config = await this.server().session.request('config.get', {});
      this.loaded.set(config);
      this.text.set(config.text);
      this.errors.set([]);
      this.conflict.set(false);
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.loading.set(false);
    }
  }

  async reload(): Promise<void> {
    if (this.dirty() && !this.confirm('Discard your edits and load config.toml as it is now?')) return;
    await this.load();
  }

  async save(): Promise<void> {
    const loaded = this.loaded();
    if (!loaded || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.errors.set([]);
    this.conflict.set(false);
    try {
      await this.server().session.request('config.replace', { text: this.text(), expectedHash: loaded.hash });
      this.closed.emit();
    } catch (error) {
      if (error instanceof RequestFailed && error.code === 'validation_failed') {
        const lines = error.details?.['errors'];
        this.errors.set(
          Array.isArray(lines) && lines.length > 0 ? lines.map((line) => String(line)) : [error.message],
        );
      } else if (error instanceof RequestFailed && error.code === 'conflict') {
        this.conflict.set(true);
      } else {
        this.error.set(describeModerationError(error));
      }
    } finally {
      this.saving.set(false);
    }
  }

  cancel(): void {
    if (this.dirty() && !this.confirm('Discard your unsaved edits to config.toml?')) return;
    this.closed.emit();
  }
}
