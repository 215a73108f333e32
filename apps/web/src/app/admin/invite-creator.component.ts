import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import type { InviteCreatedDto } from '@mpqcht/protocol';

import { inviteLink } from '../connection/join-link';
import type { ServerConnection } from '../connection/server-connection';
import { describeModerationError } from '../roster/moderation-error';

export const EXPIRY_CHOICES: readonly { readonly label: string; readonly ms: number | null }[] = [
  { label: '1 hour', ms: 60 * 60 * 1000 },
  { label: '1 day', ms: 24 * 60 * 60 * 1000 },
  { label: '7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { label: 'Never', ms: null },
];

export const USES_CHOICES: readonly { readonly label: string; readonly uses: number | null }[] = [
  { label: 'No limit', uses: null },
  { label: '1', uses: 1 },
  { label: '5', uses: 5 },
  { label: '10', uses: 10 },
  { label: '25', uses: 25 },
  { label: '100', uses: 100 },
];

let forms = 0;

/**
 * Makes an invite (`invites.create`, for members who hold `invite`) and shows its link, once. The
 * choices are segmented controls (radio buttons styled as the app's buttons), not a native select.
 */
@Component({
  selector: 'mq-invite-creator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (link(); as url) {
      <div class="result" data-test="invite-result">
        <p>Anyone with this link can join{{ usesText() }}. Copy it now: it is shown only once.</p>
        <div class="row">
          <input
            readonly
            class="link"
            aria-label="Invite link"
            [value]="url"
            data-test="invite-link"
            (focus)="$any($event.target).select()"
          />
          <button type="button" class="button primary" (click)="copy(url)" data-test="copy-invite">
            {{ copied() ? 'Copied!' : 'Copy link' }}
          </button>
        </div>
        <button type="button" class="button small" (click)="again()" data-test="invite-another">
          Make another
        </button>
      </div>
    } @else {
      <form (submit)="$event.preventDefault(); create()">
        <fieldset class="segmented" data-test="invite-expiry">
          <legend>Expires after</legend>
          <div class="segments">
            @for (choice of expiryChoices; track choice.label; let i = $index) {
              <label>
                <input
                  type="radio"
                  [name]="name + '-expiry'"
                  [checked]="expiry() === i"
                  (change)="expiry.set(i)"
                  [attr.data-expiry]="choice.label"
                />
                <span>{{ choice.label }}</span>
              </label>
            }
          </div>
        </fieldset>
        <fieldset class="segmented" data-test="invite-max-uses">
          <legend>Max uses</legend>
          <div class="segments">
            @for (choice of usesChoices; track choice.label; let i = $index) {
              <label>
                <input
                  type="radio"
                  [name]="name + '-uses'"
                  [checked]="uses() === i"
                  (change)="uses.set(i)"
                  [attr.data-uses]="choice.uses ?? 'none'"
                />
                <span>{{ choice.label }}</span>
              </label>
            }
          </div>
        </fieldset>
        <label class="field">
          <span>Note for your fellow admins (optional)</span>
          <input
            maxlength="200"
            [value]="note()"
            (input)="note.set($any($event.target).value)"
            data-test="invite-note"
          />
        </label>
        <div class="actions">
          <button type="submit" class="button primary" [disabled]="busy()" data-test="create-invite">
            {{ busy() ? 'Creating…' : 'Create link' }}
          </button>
        </div>
      </form>
    }
    @if (error(); as message) {
      <p class="error" role="alert" data-test="invite-error">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    form,
    .result {
      display: grid;
      gap: 14px;
    }
    p {
      margin: 0;
    }
    .row {
      display: flex;
      gap: 8px;
    }
    .link {
      flex: 1;
      min-width: 0;
      font: 13px var(--mq-mono);
    }
    .result > .button {
      justify-self: start;
    }
    fieldset {
      margin: 0;
      padding: 0;
      border: none;
      min-width: 0;
    }
    legend {
      margin-bottom: 6px;
      padding: 0;
      font-size: 13px;
      color: var(--mq-text-muted);
    }
    .segments {
      display: inline-flex;
      flex-wrap: wrap;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      overflow: hidden;
    }
    .segments label {
      position: relative;
    }
    .segments label + label span {
      border-left: 1px solid var(--mq-border);
    }
    .segments input {
      position: absolute;
      opacity: 0;
      width: 1px;
      height: 1px;
      margin: 0;
    }
    .segments span {
      display: block;
      padding: 6px 12px;
      background: var(--mq-surface-2);
      color: var(--mq-text);
      font-size: 13px;
      cursor: pointer;
      user-select: none;
    }
    .segments span:hover {
      background: var(--mq-background);
    }
    .segments input:checked + span {
      background: var(--mq-accent);
      color: #fff;
      font-weight: 600;
    }
    .segments input:focus-visible + span {
      outline: 2px solid var(--mq-accent);
      outline-offset: -4px;
      box-shadow: inset 0 0 0 4px var(--mq-surface);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
    }
  `,
})
export class InviteCreator {
  readonly server = input.required<ServerConnection>();
  /** A new invite was made (its link is on screen). */
  readonly created = output<InviteCreatedDto>();
  readonly expiryChoices = EXPIRY_CHOICES;
  readonly usesChoices = USES_CHOICES;
  /** Radio group names, unique per form on the page. */
  readonly name = `mq-invite-${++forms}`;
  /** Indexes into the choices: 7 days and no limit unless the person picks others. */
  readonly expiry = signal(2);
  readonly uses = signal(0);
  readonly note = signal('');
  readonly link = signal<string | null>(null);
  readonly usesText = signal('');
  readonly busy = signal(false);
  readonly copied = signal(false);
  readonly error = signal<string | null>(null);

  async create(): Promise<void> {
    if (this.busy()) return;
    const expiresInMs = EXPIRY_CHOICES[this.expiry()]?.ms ?? null;
    const maxUses = USES_CHOICES[this.uses()]?.uses ?? null;
    const note = this.note().trim();
    this.busy.set(true);
    this.error.set(null);
    try {
      const server = this.server();
      const invite = await server.session.request('invites.create', {
        ...(maxUses === null ? {} : { maxUses }),
        ...(expiresInMs === null ? {} : { expiresInMs }),
        ...(note ? { note } : {}),
      });
      this.usesText.set(
        invite.maxUses === null ? '' : ` (${invite.maxUses} ${invite.maxUses === 1 ? 'use' : 'uses'})`,
      );
      this.link.set(inviteLink(location.origin, server.url, invite.code));
      this.created.emit(invite);
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.busy.set(false);
    }
  }

  async copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.copied.set(true);
    } catch {
      this.error.set('Copying is not allowed here; select the link instead.');
    }
  }

  again(): void {
    this.link.set(null);
    this.copied.set(false);
    this.note.set('');
  }
}
