import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MarkdownComponent } from 'ngx-markdown';

import type { MemberDto } from '@mpqcht/protocol';

import type { TimelineMessage } from '../channels/channel-timeline';
import { injectDialogs } from '../shared/dialogs';
import { ThemePalette } from '../shared/theme-palette';
import { EditBox } from './edit-box.component';
import { decorateMentions, type MentionedMember } from './mention-chips';
import type { Nameable } from './mention-text';

/** A stable hue per author, from their key (ThemePalette makes it readable). */
function authorHue(publicKey: string): number {
  let hash = 0;
  for (let i = 2; i < publicKey.length; i += 4) hash = (hash * 31 + publicKey.charCodeAt(i)) % 360;
  return hash;
}

/** What the actions menu of a message offers (reply and react will join them). */
export type MenuAction = 'edit' | 'delete' | 'retry' | 'discard';

const MENU_LABELS: Record<MenuAction, string> = {
  edit: 'Edit',
  delete: 'Delete',
  retry: 'Retry sending',
  discard: 'Discard',
};

/** The keys that open a row's actions menu: the menu key, Shift+F10, and Enter. */
export function opensMenu(event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) return true;
  return event.key === 'Enter' && !event.shiftKey;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

@Component({
  selector: 'mq-message-item',
  imports: [MarkdownComponent, EditBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let m = message();
    <!-- Keys on the row itself (the list moves between rows with Up and Down): see onRowKey. -->
    <article
      #row
      class="message"
      [class.grouped]="grouped()"
      [class.mine]="mine()"
      [class.pending]="m.state === 'pending'"
      [class.failed]="m.state === 'failed'"
      [class.mentioned]="mentioned()"
      [class.menu-open]="menuOpen()"
      [attr.data-message]="m.id ?? m.clientId"
      [attr.data-key]="m.key"
      [attr.data-state]="m.state"
      [attr.tabindex]="tabbable() ? 0 : -1"
      [attr.aria-keyshortcuts]="keyShortcuts()"
      (keydown)="onRowKey($event)"
    >
      @if (!grouped()) {
        <header>
          <span class="author" [style.color]="nameColour()">{{ authorName() }}</span>
          <time [attr.datetime]="m.createdAt" [attr.title]="fullTime()">{{ time() }}</time>
        </header>
      } @else {
        <time class="gutter" [attr.datetime]="m.createdAt" [attr.title]="fullTime()">{{ time() }}</time>
        <!-- A focused row says whose it is, also when the name is on the row above. -->
        <span class="sr-only">{{ authorName() }}</span>
      }
      @if (editing()) {
        <mq-edit-box
          [content]="m.content"
          [maxLength]="maxLength()"
          (saved)="edited.emit($event)"
          (cancelled)="editCancelled.emit()"
        />
      } @else {
        <!-- A channel chip is a button: the keyboard clicks it, and the click lands here. -->
        <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
        <div class="content" (click)="onContentClick($event)">
          <markdown #markdown [data]="m.content" (ready)="decorate()" />
          @if (m.editedAt) {
            <span class="edited" [attr.title]="'Edited ' + m.editedAt">(edited)</span>
          }
        </div>
      }
      @switch (m.state) {
        @case ('pending') {
          <span class="state" data-test="pending">{{
            m.waiting ? 'Waiting for connection…' : 'Sending…'
          }}</span>
        }
        @case ('failed') {
          <span class="state failed-note" role="alert">
            Not sent{{ m.error ? ': ' + m.error : '' }}.
            <button type="button" class="link" (click)="retried.emit()" data-test="retry">Retry</button>
            <button type="button" class="link" (click)="discarded.emit()">Discard</button>
          </span>
        }
      }
      @if ((mine() || canModerate()) && m.state === 'sent' && !editing()) {
        <div class="actions">
          @if (mine()) {
            <button
              type="button"
              title="Edit"
              aria-label="Edit"
              (click)="editStarted.emit(false)"
              data-test="edit"
            >
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path
                  d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="2"
                  stroke-linejoin="round"
                />
              </svg>
            </button>
          }
          <button
            type="button"
            title="Delete"
            aria-label="Delete"
            (click)="confirmDelete()"
            data-test="delete"
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linejoin="round"
              />
            </svg>
          </button>
          <button
            type="button"
            title="More actions"
            aria-label="More actions"
            aria-haspopup="menu"
            [attr.aria-expanded]="menuOpen()"
            (click)="openMenu()"
            data-test="more"
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                d="M5 12h.01M12 12h.01M19 12h.01"
                stroke="currentColor"
                stroke-width="3"
                stroke-linecap="round"
              />
            </svg>
          </button>
        </div>
      }
      @if (menuOpen()) {
        <div
          #menu
          class="menu"
          [class.up]="menuUp()"
          role="menu"
          tabindex="-1"
          aria-label="Message actions"
          (keydown)="onMenuKey($event)"
          (focusout)="onMenuFocusOut($event)"
          data-test="message-menu"
        >
          @for (action of menuActions(); track action) {
            <button
              type="button"
              role="menuitem"
              tabindex="-1"
              (click)="runMenu(action)"
              [attr.data-test]="'menu-' + action"
            >
              {{ menuLabels[action] }}
            </button>
          }
        </div>
      }
    </article>
  `,
  styleUrl: './message-item.component.css',
})
export class MessageItem {
  readonly message = input.required<TimelineMessage>();
  readonly authorName = input.required<string>();
  /** The author's top role colour; null for the per-key hue. */
  readonly authorColor = input<string | null>(null);
  readonly grouped = input(false);
  readonly mine = input(false);
  /** A moderator here may delete others' messages. */
  readonly canModerate = input(false);
  readonly mentioned = input(false);
  readonly editing = input(false);
  readonly maxLength = input(4000);
  /** The server's members, for the names of the members the message mentions. */
  readonly members = input<ReadonlyMap<string, MemberDto>>(new Map());
  /** The reader's key: their own mention chip stands out. */
  readonly selfKey = input('');
  /** The channels the reader can see: `#name` of one of them becomes a chip that opens it. */
  readonly channels = input<readonly Nameable[]>([]);
  /** A channel chip was clicked. */
  readonly channelOpened = output<string>();
  /** The row is the list's one tab stop (roving tabindex). */
  readonly tabbable = input(false);

  private readonly injector = inject(Injector);
  private readonly row = viewChild.required<ElementRef<HTMLElement>>('row');
  private readonly menu = viewChild<ElementRef<HTMLElement>>('menu');
  readonly menuLabels = MENU_LABELS;
  readonly menuOpen = signal(false);
  /** The menu opens above the row when the row is in the lower half of the window. */
  readonly menuUp = signal(false);

  /** What may be done to this message, in menu order: the same rules as the buttons on hover. */
  readonly menuActions = computed<MenuAction[]>(() => {
    const m = this.message();
    if (this.editing()) return [];
    if (m.state === 'failed') return ['retry', 'discard'];
    if (m.state !== 'sent') return [];
    const actions: MenuAction[] = [];
    if (this.mine()) actions.push('edit');
    if (this.mine() || this.canModerate()) actions.push('delete');
    return actions;
  });
  readonly retried = output();
  readonly discarded = output();
  /** Editing starts; true when from the keyboard (focus then returns to the row, not the composer). */
  readonly editStarted = output<boolean>();
  readonly editCancelled = output();
  readonly edited = output<string>();
  readonly deleted = output();

  private readonly markdown = viewChild<string, ElementRef<HTMLElement>>('markdown', { read: ElementRef });

  /** The members the server resolved as mentioned, with their names (unknown ones stay text). */
  private readonly mentionedMembers = computed<MentionedMember[]>(
    () => {
      const members = this.members();
      const self = this.selfKey();
      return this.message().mentions.flatMap((publicKey) => {
        const member = members.get(publicKey);
        return member ? [{ publicKey, displayName: member.displayName, self: publicKey === self }] : [];
      });
    },
    // Presence changes the members map often; the chips only care about these.
    {
      equal: (a, b) =>
        a.length === b.length &&
        a.every((m, i) => {
          const n = b[i];
          return (
            n !== undefined &&
            m.publicKey === n.publicKey &&
            m.displayName === n.displayName &&
            m.self === n.self
          );
        }),
    },
  );

  private readonly palette = inject(ThemePalette);
  /** The role colour, or a stable hue per key, made readable on this theme's backgrounds. */
  readonly nameColour = computed(() =>
    this.palette.nameColour(this.authorColor(), authorHue(this.message().author)),
  );
  readonly time = computed(() => TIME.format(new Date(this.message().createdAt)));
  readonly fullTime = computed(() => DATE_TIME.format(new Date(this.message().createdAt)));
  private readonly dialogs = injectDialogs();

  constructor() {
    // Mentions known after the text rendered (the stored message after the optimistic one, a
    // member list that arrived later): chips for them too. Decorating again adds only what is new.
    effect(() => {
      this.mentionedMembers();
      this.channels();
      untracked(() => this.decorate());
    });
  }

  /** The Markdown is in the DOM (DOMPurify's output): its mentions become chips. */
  decorate(): void {
    const element = this.markdown()?.nativeElement;
    if (element) decorateMentions(element, this.mentionedMembers(), this.channels());
  }

  onContentClick(event: MouseEvent): void {
    const chip = (event.target as Element | null)?.closest<HTMLElement>('[data-channel-id]');
    const channelId = chip?.dataset['channelId'];
    if (channelId) this.channelOpened.emit(channelId);
  }

  /** What the focused row answers to, for assistive technology; null without actions. */
  readonly keyShortcuts = computed(() => {
    const actions = this.menuActions();
    if (actions.length === 0) return null;
    return actions.includes('edit') ? 'Enter Shift+F10 ContextMenu E' : 'Enter Shift+F10 ContextMenu';
  });

  /** Whether focus is on the row or inside it. */
  hasFocus(): boolean {
    return this.row().nativeElement.contains(document.activeElement);
  }

  focus(): void {
    const row = this.row().nativeElement;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
  }

  /**
   * Keys on the focused row itself, never on what is inside it (the edit box, a link, the menu):
   * Enter, the menu key or Shift+F10 open the actions menu, E edits an own message.
   */
  onRowKey(event: KeyboardEvent): void {
    if (event.target !== this.row().nativeElement) return;
    if (opensMenu(event) && this.menuActions().length > 0) {
      event.preventDefault();
      this.openMenu();
    } else if (
      event.key.toLowerCase() === 'e' &&
      !event.altKey &&
      !event.ctrlKey &&
      !event.metaKey &&
      this.menuActions().includes('edit')
    ) {
      event.preventDefault();
      this.editStarted.emit(true);
    }
  }

  /** Opens the actions menu with its first item focused. */
  openMenu(): void {
    if (this.menuActions().length === 0) return;
    this.menuUp.set(this.row().nativeElement.getBoundingClientRect().top > window.innerHeight / 2);
    this.menuOpen.set(true);
    afterNextRender({ write: () => this.menuItems()[0]?.focus() }, { injector: this.injector });
  }

  /** Closes the menu; `refocus` puts focus back on the row (Escape, after an action). */
  closeMenu(refocus: boolean): void {
    this.menuOpen.set(false);
    if (refocus) this.row().nativeElement.focus({ preventScroll: true });
  }

  /** The menu's keys (WAI-ARIA menu): Up/Down/Home/End move, Escape closes; they go no further. */
  onMenuKey(event: KeyboardEvent): void {
    const items = this.menuItems();
    const at = items.indexOf(event.target as HTMLElement);
    let next: number | null = null;
    switch (event.key) {
      case 'ArrowDown':
        next = (at + 1) % items.length;
        break;
      case 'ArrowUp':
        next = (at - 1 + items.length) % items.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      case 'Escape':
        this.closeMenu(true);
        break;
      case 'Tab':
        // Focus moves on as Tab says; the menu closes behind it.
        this.closeMenu(false);
        event.stopPropagation();
        return;
      default:
        // Enter and Space click the focused item (it is a button); the row must not see them.
        event.stopPropagation();
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (next !== null) items[next]?.focus();
  }

  /** Focus left the menu (a click elsewhere): it closes. */
  onMenuFocusOut(event: FocusEvent): void {
    const to = event.relatedTarget as Node | null;
    if (!to || !this.menu()?.nativeElement.contains(to)) this.menuOpen.set(false);
  }

  runMenu(action: MenuAction): void {
    this.closeMenu(true);
    switch (action) {
      case 'edit':
        this.editStarted.emit(true);
        break;
      case 'delete':
        void this.confirmDelete();
        break;
      case 'retry':
        this.retried.emit();
        break;
      case 'discard':
        this.discarded.emit();
        break;
    }
  }

  async confirmDelete(): Promise<void> {
    if (await this.askDelete()) this.deleted.emit();
  }

  /** The one place that asks: the app's confirmation dialog. */
  private askDelete(): Promise<boolean> {
    return this.dialogs.confirm({
      title: 'Delete message',
      message: 'Delete this message? This cannot be undone.',
      confirmLabel: 'Delete',
      danger: true,
    });
  }

  private menuItems(): HTMLElement[] {
    return Array.from(this.menu()?.nativeElement.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
  }
}
