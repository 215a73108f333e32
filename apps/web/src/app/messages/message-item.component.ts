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
import { THREAD_ICON, ThreadChip } from '../threads/thread-chip.component';
import type { ThreadView } from '../threads/threads.state';
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
export type MenuAction = 'thread' | 'edit' | 'delete' | 'retry' | 'discard';

const MENU_LABELS: Record<MenuAction, string> = {
  thread: 'Thread',
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
  imports: [MarkdownComponent, EditBox, ThreadChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './message-item.component.html',
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
  /** Jumped to (a search result): highlighted for a moment. */
  readonly flashed = input(false);
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
  /** The thread that grew from this message, if any. */
  readonly thread = input<ThreadView | null>(null);
  /** The reader may start a thread here (or open the one there is). */
  readonly canStartThread = input(false);
  readonly threadOpened = output();
  readonly threadStarted = output();
  readonly threadIcon = THREAD_ICON;
  /** The names of the thread's latest authors, for its chip. */
  readonly participantNames = computed(() => {
    const members = this.members();
    return (this.thread()?.participants ?? []).map((key) => members.get(key)?.displayName ?? 'someone');
  });

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
    // Editing first, deleting (which cannot be undone) last.
    if (this.mine()) actions.push('edit');
    if (this.canStartThread()) actions.push('thread');
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
      case 'thread':
        if (this.thread()) this.threadOpened.emit();
        else this.threadStarted.emit();
        break;
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
