import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';

import { parseAnyPublicKey, type PublicKeyParseError } from '@mpqcht/identity';

import { RequestFailed } from '../connection/request-failed';
import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';

/** What is wrong with a pasted key, as the server's parser would say it (`parseAnyPublicKey`). */
const KEY_PROBLEMS: Readonly<Record<PublicKeyParseError, string>> = {
  not_hex: 'A public key is written in hexadecimal (0-9, a-f): the 66 characters starting with 02 or 03.',
  bad_length:
    'A public key has 66 hexadecimal characters (or 130, uncompressed). Check that you copied all of it.',
  invalid_point:
    'These characters are not a valid public key (a point of P-256). Check that you copied it exactly.',
};

/** A refusal of `members.authorize`, for people; the code is shown beside it. */
function describeRefusal(error: RequestFailed): string {
  const missing = error.details?.['missing'];
  if (error.code === 'forbidden' && Array.isArray(missing) && missing.length > 0) {
    return `Not allowed: you lack ${missing.join(', ')}.`;
  }
  if (error.code === 'offline') return 'You are offline; try again when the connection is back.';
  if (error.code === 'rate_limited') return 'Too fast: try again in a moment.';
  return error.message;
}

/**
 * Authorizes a pasted public key (`members.authorize`, `manage_members`), as the CLI's `authorize`
 * does: the key as the app shows it (66 hex characters; uncompressed keys are accepted too), and the
 * roles it gets. The key is checked here with the server's own parser before it is sent.
 */
@Component({
  selector: 'mq-authorize-key',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="$event.preventDefault(); authorize()" data-test="authorize-form">
      <h4>Authorize a public key</h4>
      <p class="hint">
        Someone who sent you their public key (shown at the bottom left of their mpqcht, or on the “not a
        member yet” page) can log in once it is authorized, and then picks their name.
      </p>
      <label class="field">
        <span>Public key</span>
        <textarea
          rows="2"
          spellcheck="false"
          autocomplete="off"
          placeholder="02… or 03… (66 characters)"
          [value]="key()"
          (input)="edit($any($event.target).value)"
          [attr.aria-invalid]="problem() !== null"
          aria-describedby="mq-authorize-problem"
          data-test="authorize-key"
        ></textarea>
      </label>
      <p id="mq-authorize-problem" class="error" [hidden]="problem() === null" data-test="authorize-problem">
        {{ problem() }}
      </p>
      @if (roles().length > 0) {
        <fieldset>
          <legend>Roles (optional)</legend>
          @for (role of roles(); track role.id) {
            <label class="check">
              <input
                type="checkbox"
                [checked]="chosen().has(role.id)"
                (change)="toggle(role.id)"
                [attr.data-role]="role.id"
              />
              @if (role.color) {
                <span class="swatch" [style.background]="role.color" aria-hidden="true"></span>
              }
              <span>{{ role.name }}</span>
            </label>
          }
        </fieldset>
      }
      <div class="actions">
        <button
          type="submit"
          class="button primary"
          [disabled]="busy() || key().trim() === ''"
          data-test="authorize-submit"
        >
          {{ busy() ? 'Authorizing…' : 'Authorize key' }}
        </button>
      </div>
    </form>
    @if (refusal(); as refused) {
      <p class="error" role="alert" data-test="authorize-error" [attr.data-code]="refused.code">
        {{ refused.text }} <code>{{ refused.code }}</code>
      </p>
    }
    @if (done(); as message) {
      <p class="done" role="status" data-test="authorize-done">{{ message }}</p>
    }
  `,
  styles: `
    :host,
    form {
      display: grid;
      gap: 12px;
    }
    p,
    h4 {
      margin: 0;
    }
    h4 {
      font-size: 14px;
    }
    .hint {
      color: var(--mq-text-muted);
      font-size: 13px;
    }
    textarea {
      resize: vertical;
      font: 13px var(--mq-mono);
      word-break: break-all;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--mq-danger);
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 16px;
      margin: 0;
      padding: 8px 12px 10px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
    }
    legend {
      padding: 0 4px;
      font-size: 13px;
      color: var(--mq-text-muted);
    }
    .check {
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 14px;
      cursor: pointer;
    }
    .check input {
      accent-color: var(--mq-accent);
      width: 16px;
      height: 16px;
      margin: 0;
    }
    .swatch {
      width: 10px;
      height: 10px;
      border-radius: 5px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
    .error {
      color: var(--mq-danger);
      font-size: 13px;
    }
    .error code {
      margin-left: 4px;
      padding: 0 4px;
      border: 1px solid currentColor;
      border-radius: 3px;
      font: 12px var(--mq-mono);
    }
    .done {
      color: var(--mq-text);
      font-size: 13px;
    }
  `,
})
export class AuthorizeKey {
  readonly server = input.required<ServerConnection>();
  readonly roles = computed(() =>
    [...this.server().get(MembersState).roles().values()].sort((a, b) => b.position - a.position),
  );
  readonly key = signal('');
  readonly chosen = signal<ReadonlySet<string>>(new Set());
  /** What is wrong with the key, once the person tried to send it. */
  readonly problem = signal<string | null>(null);
  readonly refusal = signal<{ readonly code: string; readonly text: string } | null>(null);
  readonly done = signal<string | null>(null);
  readonly busy = signal(false);

  edit(value: string): void {
    this.key.set(value);
    this.problem.set(null);
  }

  toggle(roleId: string): void {
    const next = new Set(this.chosen());
    if (next.has(roleId)) next.delete(roleId);
    else next.add(roleId);
    this.chosen.set(next);
  }

  async authorize(): Promise<void> {
    if (this.busy()) return;
    this.refusal.set(null);
    this.done.set(null);
    // Spaces and line breaks from a copy are not part of the key.
    const parsed = parseAnyPublicKey(this.key().replace(/\s+/g, ''));
    if (!parsed.ok) {
      this.problem.set(KEY_PROBLEMS[parsed.error]);
      return;
    }
    const publicKey = parsed.key.hex;
    const roles = [...this.chosen()];
    this.busy.set(true);
    try {
      const result = await this.server().session.request('members.authorize', { publicKey, roles });
      const names = result.roles.map((id) => this.server().get(MembersState).roles().get(id)?.name ?? id);
      this.done.set(
        `Authorized ${publicKey.slice(0, 10)}…${publicKey.slice(-6)}` +
          (names.length > 0 ? ` with ${names.join(', ')}` : '') +
          '. They can log in now and pick their name.',
      );
      this.key.set('');
      this.chosen.set(new Set());
    } catch (error) {
      this.refusal.set(
        error instanceof RequestFailed
          ? { code: error.code, text: describeRefusal(error) }
          : { code: 'error', text: error instanceof Error ? error.message : 'Something went wrong.' },
      );
    } finally {
      this.busy.set(false);
    }
  }
}
