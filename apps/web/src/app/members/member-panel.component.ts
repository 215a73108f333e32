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
  linkedSignal,
  output,
  signal,
  viewChild,
} from '@angular/core';

import type { MemberDto } from '@mpqcht/protocol';

import type { ServerConnection } from '../connection/server-connection';
import { memberActions } from '../roster/member-actions';
import { MemberModeration } from '../roster/member-moderation';
import { MembersState } from '../roster/members.state';
import { describeModerationError } from '../roster/moderation-error';
import { ThemePalette } from '../shared/theme-palette';

type Confirming = 'kick' | 'ban' | null;

/**
 * One member: name, key (copyable), roles; for those allowed, set roles, kick and ban. A non-modal
 * dialog, shown as a popover beside the member's row (the list and the chat stay usable): focus
 * moves into it when it opens, Escape closes it, and focus goes back to where it was, unless the
 * person has put it elsewhere meanwhile (a click outside closes it too).
 */
@Component({
  selector: 'mq-member-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(keydown.escape)': 'closed.emit()' },
  template: `
    @if (member(); as m) {
      <section
        #panel
        class="panel"
        role="dialog"
        aria-labelledby="mq-member-panel-name"
        tabindex="-1"
        data-test="member-panel"
      >
        <header>
          <strong
            id="mq-member-panel-name"
            class="name"
            [style.color]="palette.nameColour(members().memberColor(m.publicKey))"
            >{{ m.displayName }}</strong
          >
          @if (m.isRoot) {
            <span class="tag">admin</span>
          }
          <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
        </header>
        <div class="key">
          <code data-test="member-key">{{ m.publicKey }}</code>
          <button type="button" class="button small" (click)="copy(m.publicKey)" data-test="member-copy-key">
            {{ copied() ? 'Copied' : 'Copy' }}
          </button>
        </div>
        <div class="roles" data-test="member-roles">
          @for (role of members().memberRoles(m.publicKey); track role.id) {
            <span class="role" [style.border-color]="role.color">{{ role.name }}</span>
          } @empty {
            <span class="muted">No roles</span>
          }
        </div>
        @if (anyAction()) {
          <div class="actions" data-test="member-actions">
            @if (actions().setRoles && allRoles().length > 0) {
              <fieldset>
                <legend>Roles</legend>
                @for (role of allRoles(); track role.id) {
                  <label>
                    <input
                      type="checkbox"
                      [checked]="chosen().has(role.id)"
                      (change)="toggle(role.id)"
                      [attr.data-role]="role.id"
                    />
                    {{ role.name }}
                  </label>
                }
                <button
                  type="button"
                  class="button small primary"
                  [disabled]="busy() || !rolesChanged()"
                  (click)="saveRoles()"
                  data-test="save-roles"
                >
                  Save roles
                </button>
              </fieldset>
            }
            @if (confirming(); as what) {
              <div class="confirm" data-test="confirm">
                <label>
                  Reason {{ what === 'ban' ? '(required)' : '(optional)' }}
                  <input
                    type="text"
                    maxlength="500"
                    [value]="reason()"
                    (input)="reason.set($any($event.target).value)"
                    data-test="reason"
                  />
                </label>
                <div class="buttons">
                  <button
                    type="button"
                    class="button small danger"
                    [disabled]="busy() || (what === 'ban' && !reason().trim())"
                    (click)="confirm()"
                    data-test="confirm-action"
                  >
                    {{ what === 'ban' ? 'Ban' : 'Kick' }} {{ m.displayName }}
                  </button>
                  <button type="button" class="button small" (click)="confirming.set(null)">Cancel</button>
                </div>
              </div>
            } @else {
              <div class="buttons">
                @if (actions().kick) {
                  <button type="button" class="button small danger" (click)="ask('kick')" data-test="kick">
                    Kick
                  </button>
                }
                @if (actions().ban) {
                  <button type="button" class="button small danger" (click)="ask('ban')" data-test="ban">
                    Ban
                  </button>
                }
              </div>
            }
          </div>
        }
        @if (error(); as message) {
          <p class="error" role="alert" data-test="member-error">{{ message }}</p>
        }
        @if (done(); as message) {
          <p class="done" role="status">{{ message }}</p>
        }
      </section>
    }
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 12px;
      border: 1px solid var(--mq-border);
      border-radius: 8px;
      background: var(--mq-surface-2);
      font-size: 13px;
    }
    .panel:focus {
      outline: none;
    }
    header {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .name {
      font-size: 15px;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .close {
      margin-left: auto;
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font-size: 18px;
      cursor: pointer;
    }
    .key {
      display: flex;
      gap: 6px;
      align-items: center;
    }
    code {
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
      font-size: 11px;
      color: var(--mq-text-muted);
    }
    .roles {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .role {
      padding: 0 6px;
      border: 1px solid var(--mq-border);
      border-radius: 10px;
    }
    .tag {
      font-size: 10px;
      padding: 0 4px;
      border-radius: 3px;
      background: var(--mq-accent);
      color: #fff;
    }
    fieldset {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin: 0;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
    }
    .actions,
    .confirm {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    fieldset input {
      accent-color: var(--mq-accent);
    }
    fieldset .button {
      align-self: flex-start;
    }
    .confirm input {
      width: 100%;
      box-sizing: border-box;
    }
    .buttons {
      display: flex;
      gap: 6px;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    .error {
      margin: 0;
      color: var(--mq-danger);
    }
    .done,
    .muted {
      margin: 0;
      color: var(--mq-text-muted);
    }
  `,
})
export class MemberPanel {
  readonly server = input.required<ServerConnection>();
  readonly publicKey = input.required<string>();
  readonly closed = output();

  readonly members = computed(() => this.server().get(MembersState));
  private readonly moderation = computed(() => this.server().get(MemberModeration));
  /** The member as last seen: still shown after they leave the list (banned, revoked), without actions. */
  readonly member = linkedSignal<
    { readonly key: string; readonly member: MemberDto | undefined },
    MemberDto | undefined
  >({
    source: () => ({ key: this.publicKey(), member: this.members().members().get(this.publicKey()) }),
    computation: (now, previous) => {
      const last: MemberDto | undefined = previous?.value;
      return now.member ?? (last !== undefined && last.publicKey === now.key ? last : undefined);
    },
  });
  /** No longer a member of the server (the panel stays to say what happened). */
  readonly gone = computed(() => !this.members().members().has(this.publicKey()));
  readonly actions = computed(() => memberActions(this.server().session, this.members(), this.publicKey()));
  readonly anyAction = computed(() => {
    const a = this.actions();
    return !this.gone() && (a.setRoles || a.kick || a.ban);
  });
  readonly allRoles = computed(() => [...this.members().roles().values()]);
  /** The member's roles as one string, so presence changes do not reset the checkboxes. */
  private readonly heldRoles = computed(() => (this.member()?.roles ?? []).join(','));
  readonly chosen = signal<ReadonlySet<string>>(new Set());
  readonly rolesChanged = computed(() => {
    const current = new Set(this.member()?.roles ?? []);
    const chosen = this.chosen();
    return current.size !== chosen.size || [...chosen].some((r) => !current.has(r));
  });
  readonly confirming = signal<Confirming>(null);
  readonly reason = signal('');
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly done = signal<string | null>(null);
  readonly copied = signal(false);
  private readonly panel = viewChild<ElementRef<HTMLElement>>('panel');
  private readonly injector = inject(Injector);
  readonly palette = inject(ThemePalette);

  constructor() {
    // Focus returns to what had it before the panel opened (the member's row), if still there and
    // the focus is still in the panel (or nowhere): not when a click outside put it elsewhere.
    const opener = document.activeElement;
    inject(DestroyRef).onDestroy(() => {
      const focused = document.activeElement;
      const inPanel =
        focused === null ||
        focused === document.body ||
        this.panel()?.nativeElement.contains(focused) === true;
      if (inPanel && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
    effect(() => {
      this.publicKey();
      afterNextRender(() => this.panel()?.nativeElement.focus(), { injector: this.injector });
    });
    // Another member opened, or their roles changed: start from what they hold.
    effect(() => {
      const roles = this.heldRoles();
      this.chosen.set(new Set(roles ? roles.split(',') : []));
    });
    effect(() => {
      this.publicKey();
      this.confirming.set(null);
      this.error.set(null);
      this.done.set(null);
    });
  }

  toggle(roleId: string): void {
    const next = new Set(this.chosen());
    if (next.has(roleId)) next.delete(roleId);
    else next.add(roleId);
    this.chosen.set(next);
  }

  ask(what: Exclude<Confirming, null>): void {
    this.reason.set('');
    this.error.set(null);
    this.done.set(null);
    this.confirming.set(what);
  }

  async copy(key: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(key);
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 1500);
    } catch {
      this.error.set('Copying is not allowed here; select the key instead.');
    }
  }

  saveRoles(): Promise<void> {
    return this.run(() => this.moderation().setRoles(this.publicKey(), [...this.chosen()]), 'Roles saved.');
  }

  confirm(): Promise<void> {
    const what = this.confirming();
    const reason = this.reason().trim();
    const name = this.member()?.displayName ?? 'The member';
    if (what === 'kick') {
      return this.run(
        () => this.moderation().kick(this.publicKey(), reason || undefined),
        `${name} was kicked.`,
      );
    }
    if (what === 'ban' && reason) {
      return this.run(() => this.moderation().ban(this.publicKey(), reason), `${name} was banned.`);
    }
    return Promise.resolve();
  }

  private async run(action: () => Promise<void>, success: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.done.set(null);
    try {
      await action();
      this.confirming.set(null);
      this.done.set(success);
    } catch (error) {
      this.error.set(describeModerationError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
