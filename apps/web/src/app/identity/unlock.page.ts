import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';

import { fetchInvitePreview, type InvitePreviewResult } from '../connection/invite-preview';
import { parseJoinPath } from '../connection/join-link';
import { IdentityStore } from './identity.store';
import { passphraseStrengthSignals } from './passphrase-strength.signal';

type Mode = 'passphrase' | 'file' | 'random';

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "in 3 hours", "in 6 days": how long an invite has left. */
export function timeLeft(until: string, now: number): string {
  const ms = Date.parse(until) - now;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return RELATIVE.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 36) return RELATIVE.format(hours, 'hour');
  return RELATIVE.format(Math.round(hours / 24), 'day');
}

/**
 * The door: a username and passphrase (the same key on any browser), a key file, or a new random
 * key saved as an encrypted file. A returning visitor only types the passphrase. Sent here by an
 * invite link (`?next=/join/...`), it first says which server the invite is for and who made it
 * (`GET /api/invites/:code`), then goes on to the link once unlocked.
 */
@Component({
  selector: 'mq-unlock-page',
  imports: [DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './unlock.page.html',
  styleUrl: './unlock.page.css',
})
export class UnlockPage {
  private readonly store = inject(IdentityStore);
  private readonly router = inject(Router);
  /** The invite link that sent the visitor here, if any. */
  readonly invite = parseJoinPath(inject(ActivatedRoute).snapshot.queryParamMap.get('next') ?? '');
  /** What its server says about it; null while asking. */
  readonly invitePreview = signal<InvitePreviewResult | null>(null);
  readonly inviteKind = computed(() => this.invitePreview()?.kind ?? 'loading');
  readonly preview = computed(() => {
    const result = this.invitePreview();
    return result?.kind === 'valid' ? result.preview : null;
  });
  /** " · expires in 6 days · 4 uses left" */
  readonly inviteValidity = computed(() => {
    const preview = this.preview();
    if (!preview) return '';
    const parts: string[] = [];
    if (preview.expiresAt) parts.push(`expires ${timeLeft(preview.expiresAt, Date.now())}`);
    if (preview.usesLeft !== null)
      parts.push(`${preview.usesLeft} ${preview.usesLeft === 1 ? 'use' : 'uses'} left`);
    return parts.map((part) => ` · ${part}`).join('');
  });

  readonly remembered = this.store.remembered;
  readonly mode = signal<Mode>('passphrase');
  readonly username = signal('');
  readonly passphrase = signal('');
  readonly fileText = signal<string | null>(null);
  readonly fileName = signal('');
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  /** The encrypted file of a just-created random key, offered for download before going on. */
  readonly createdFile = signal<string | null>(null);

  readonly needsStrength = computed(() => !this.remembered() && this.mode() !== 'file');
  // Only a new passphrase is estimated: unlocking a remembered identity never loads the dictionaries.
  private readonly candidate = computed(() => (this.needsStrength() ? this.passphrase() : ''));
  private readonly context = computed(() => [this.username()]);
  private readonly estimate = passphraseStrengthSignals(this.candidate, this.context);
  readonly strength = this.estimate.shown;
  readonly canSubmit = computed(() => {
    if (this.busy() || this.passphrase().length === 0) return false;
    if (this.remembered()) return true;
    if (this.mode() === 'file') return this.fileText() !== null && this.username().trim().length > 0;
    return this.username().trim().length > 0 && this.estimate.current()?.acceptable === true;
  });

  constructor() {
    const invite = this.invite;
    if (invite)
      void fetchInvitePreview(invite.origin, invite.code).then((result) => this.invitePreview.set(result));
  }

  setMode(mode: Mode): void {
    this.mode.set(mode);
    this.error.set(null);
  }

  async onFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.fileName.set(file.name);
    this.fileText.set(await file.text());
    if (!this.username()) this.username.set(file.name.replace(/\.[^.]*$/, ''));
  }

  async submit(): Promise<void> {
    if (!this.canSubmit()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      if (this.remembered()) {
        await this.store.unlockRemembered(this.passphrase());
      } else if (this.mode() === 'passphrase') {
        await this.store.unlockWithPassphrase(this.username(), this.passphrase());
      } else if (this.mode() === 'file') {
        await this.store.importFile(this.username().trim(), this.fileText() ?? '', this.passphrase());
      } else {
        this.createdFile.set(await this.store.createRandom(this.username().trim(), this.passphrase()));
        return;
      }
      this.passphrase.set('');
      await this.router.navigateByUrl(this.next());
    } catch (error) {
      this.error.set(describeUnlockError(error));
    } finally {
      this.busy.set(false);
    }
  }

  downloadHref(): string {
    return `data:application/json;charset=utf-8,${encodeURIComponent(this.createdFile() ?? '')}`;
  }

  async continueAfterCreate(): Promise<void> {
    this.createdFile.set(null);
    this.passphrase.set('');
    await this.router.navigateByUrl(this.next());
  }

  /** Where to go once unlocked: back to a join link that sent the visitor here, else the chat. */
  private next(): string {
    const next: unknown = this.router.parseUrl(this.router.url).queryParams['next'];
    return typeof next === 'string' && /^\/join\/[^/]+\/[^/]+$/.test(next) ? next : '/chat';
  }

  forget(): void {
    this.store.logOut();
    this.passphrase.set('');
  }
}

function describeUnlockError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'wrong_passphrase':
      return 'That passphrase does not open this key file.';
    case 'not_a_key_file':
      return 'This is not an mpqcht key file.';
    case 'unsupported_version':
      return 'This key file was made by a newer version of mpqcht.';
    case 'corrupt':
      return 'This key file is damaged.';
    default:
      return error instanceof Error ? error.message : 'Could not unlock.';
  }
}
