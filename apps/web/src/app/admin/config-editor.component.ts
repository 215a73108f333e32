import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  signal,
  untracked,
} from '@angular/core';

import { RequestFailed } from '../connection/request-failed';
import type { ServerConnection } from '../connection/server-connection';
import { describeModerationError } from '../roster/moderation-error';
import { type ConfirmOptions, injectDialogs } from '../shared/dialogs';

/**
 * Edits config.toml (`manage_config`): `config.get`, then `config.replace` with the hash the edit
 * started from. The server's validation messages are shown above the text, which is kept. A
 * settings section: the settings view asks `discardable()` before it closes.
 */
@Component({
  selector: 'mq-config-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="editor" data-test="config-editor">
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
        @if (saved() && !dirty()) {
          <span class="saved" role="status" data-test="config-saved">Saved: the server runs this now.</span>
        }
        <button
          type="button"
          class="button small"
          (click)="revert()"
          [disabled]="!dirty()"
          data-test="config-revert"
        >
          Revert
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
    .editor {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    footer {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
    }
    .saved {
      margin-right: auto;
      font-size: 13px;
      color: var(--mq-text-muted);
    }
    textarea {
      width: 100%;
      box-sizing: border-box;
      min-height: 46vh;
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
  /** What `config.get` returned: the text and hash the edit started from. */
  readonly loaded = signal<{ readonly text: string; readonly hash: string } | null>(null);
  readonly text = signal('');
  readonly loading = signal(false);
  readonly saving = signal(false);
  /** The server's validation messages (key path first), one per line. */
  readonly errors = signal<readonly string[]>([]);
  readonly conflict = signal(false);
  readonly error = signal<string | null>(null);
  /** The last save went through (until the text is edited again). */
  readonly saved = signal(false);
  private readonly dialogs = injectDialogs();
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

  /** The app's confirmation; replaceable in tests. */
  confirm(options: ConfirmOptions): Promise<boolean> {
    return this.dialogs.confirm(options);
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
    if (!(await this.discardable('Discard your edits and load config.toml as it is now on the server?')))
      return;
    await this.load();
  }

  async save(): Promise<void> {
    const loaded = this.loaded();
    if (!loaded || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.errors.set([]);
    this.conflict.set(false);
    this.saved.set(false);
    try {
      const text = this.text();
      const { hash } = await this.server().session.request('config.replace', {
        text,
        expectedHash: loaded.hash,
      });
      // The next edit starts from what the server now runs.
      this.loaded.set({ text, hash });
      this.saved.set(true);
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

  /** Back to the text as loaded, after asking. */
  async revert(): Promise<void> {
    if (!(await this.discardable('Discard your unsaved edits to config.toml?'))) return;
    const loaded = this.loaded();
    if (loaded) this.text.set(loaded.text);
  }

  /** Whether the edits may go: true without unsaved edits, else what the person answers. */
  async discardable(message = 'Discard your unsaved edits to config.toml?'): Promise<boolean> {
    if (!this.dirty()) return true;
    return this.confirm({ title: 'Unsaved edits', message, confirmLabel: 'Discard', danger: true });
  }
}
