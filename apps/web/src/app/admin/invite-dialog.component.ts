import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import type { ServerConnection } from '../connection/server-connection';
import { describeModerationError } from '../roster/moderation-error';

/** The web client's link for an invite code: `/join/<server origin, URL-encoded>/<code>`. */
export function inviteLink(clientOrigin: string, serverUrl: string, code: string): string {
  return `${clientOrigin}/join/${encodeURIComponent(serverUrl)}/${code}`;
}

const EXPIRY_CHOICES: readonly { readonly label: string; readonly ms: number | null }[] = [
  { label: '1 hour', ms: 60 * 60 * 1000 },
  { label: '1 day', ms: 24 * 60 * 60 * 1000 },
  { label: '7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { label: 'Never', ms: null },
];

/** Makes an invite (`invites.create`) and shows its link, for members who hold `invite`; a dialog. */
@Component({
  selector: 'mq-invite-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog" data-test="invite-dialog">
      <h2>Invite people to {{ server().session.info()?.name ?? server().url }}</h2>
      @if (link(); as url) {
        <p>Anyone with this link can join{{ usesText() }}. It is shown only now.</p>
        <input readonly [value]="url" data-test="invite-link" (focus)="$any($event.target).select()" />
        <button type="button" (click)="copy(url)" data-test="copy-invite">
          {{ copied() ? 'Copied!' : 'Copy link' }}
        </button>
      } @else {
        <form (submit)="$event.preventDefault(); create(uses.value, expiry.value, note.value)">
          <label>
            <span>Max uses (empty: no limit)</span>
            <input #uses type="number" min="1" max="10000" data-test="invite-max-uses" />
          </label>
          <label>
            <span>Expires after</span>
            <select #expiry data-test="invite-expiry">
              @for (choice of expiryChoices; track choice.label; let i = $index) {
                <option [value]="i" [selected]="i === 2">{{ choice.label }}</option>
              }
            </select>
          </label>
          <label>
            <span>Note (optional)</span>
            <input #note maxlength="200" data-test="invite-note" />
          </label>
          <button type="submit" [disabled]="busy()" data-test="create-invite">Create link</button>
        </form>
      }
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      <button type="button" class="close" (click)="closed.emit()">Close</button>
    </section>
  `,
  styles: `
    .dialog {
      box-sizing: border-box;
      width: min(520px, 92vw);
      padding: 16px;
      border-radius: 8px;
      background: var(--mq-surface);
      border: 1px solid var(--mq-border);
      display: grid;
      gap: 10px;
    }
    h2 {
      margin: 0;
      font-size: 18px;
    }
    form,
    label {
      display: grid;
      gap: 6px;
    }
    .error {
      color: var(--mq-danger, #e5484d);
    }
  `,
})
export class InviteDialog {
  readonly server = input.required<ServerConnection>();
  readonly closed = output();
  readonly expiryChoices = EXPIRY_CHOICES;
  readonly link = signal<string | null>(null);
  readonly usesText = signal('');
  readonly busy = signal(false);
  readonly copied = signal(false);
  readonly error = signal<string | null>(null);

  async create(uses: string, expiry: string, note: string): Promise<void> {
    const maxUses = uses.trim() === '' ? undefined : Number(uses);
    if (maxUses !== undefined && (!Number.isInteger(maxUses) || maxUses < 1)) {
      this.error.set('Max uses must be a whole number of at least 1.');
      return;
    }
    const expiresInMs = EXPIRY_CHOICES[Number(expiry)]?.ms ?? null;
    this.busy.set(true);
    this.error.set(null);
    try {
      const server = this.server();
      const invite = await server.session.request('invites.create', {
        ...(maxUses === undefined ? {} : { maxUses }),
        ...(expiresInMs === null ? {} : { expiresInMs }),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      this.usesText.set(
        invite.maxUses === null ? '' : ` (${invite.maxUses} ${invite.maxUses === 1 ? 'use' : 'uses'})`,
      );
      this.link.set(inviteLink(location.origin, server.url, invite.code));
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.busy.set(false);
    }
  }

  async copy(url: string): Promise<void> {
    await navigator.clipboard.writeText(url);
    this.copied.set(true);
  }
}
