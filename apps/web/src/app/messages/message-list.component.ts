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
  output,
  signal,
  untracked,
  viewChild,
  viewChildren,
} from '@angular/core';

import type { TimelineMessage } from '../channels/channel-timeline';
import { ChannelsState, type ChannelState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { ChatSelection } from '../servers/chat-selection';
import type { ScrollAnchor } from '../servers/saved-place.storage';
import { ThreadsState, type ThreadView } from '../threads/threads.state';
import type { Nameable } from './mention-text';
import { MessageItem } from './message-item.component';
import { anchorIn, scrollToAnchor } from './scroll-anchor';

/** At most this many messages are in the DOM; the rest of the cache is windowed out. */
const WINDOW = 150;
const STEP = 50;
const GROUP_GAP_MS = 7 * 60_000;
/** How close to an edge (px) counts as reaching it. */
const EDGE = 400;
/** How many older pages a restored scroll position may load to find its message. */
const RESTORE_PAGES = 10;
/** How long a message jumped to stays highlighted. */
const FLASH_MS = 2_500;

export interface MessageAction {
  readonly kind:
    'retry' | 'discard' | 'edit' | 'delete' | 'edit-start' | 'edit-cancel' | 'thread-open' | 'thread-start';
  readonly message: TimelineMessage;
  readonly content?: string;
  /** An edit started from the keyboard on the row: focus returns to the row when it ends. */
  readonly viaKeyboard?: boolean;
}

function sameNames(a: readonly Nameable[], b: readonly Nameable[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => {
      const d = b[i];
      return d !== undefined && c.id === d.id && c.name === d.name;
    })
  );
}

/** Where Up, Down, Home and End move from row `index` of `count`; null: nowhere (or not such a key). */
export function rowStep(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowUp':
      return index > 0 ? index - 1 : null;
    case 'ArrowDown':
      return index < count - 1 ? index + 1 : null;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The messages of one channel, newest at the bottom. The scroller is `column-reverse`, so it starts
 * at the bottom and prepending history does not move what the person is reading. Only a window of
 * the cache is rendered (WINDOW rows), so a channel with 100,000 cached messages costs what 150 do;
 * scrolling to an edge slides the window, and past the oldest cached message loads the next page.
 */
@Component({
  selector: 'mq-message-list',
  imports: [MessageItem],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:pagehide)': 'keepPlace()', '(document:visibilitychange)': 'keepPlace()' },
  templateUrl: './message-list.component.html',
  styleUrl: './message-list.component.css',
})
export class MessageList {
  readonly server = input.required<ServerConnection>();
  readonly channel = input.required<ChannelState>();
  readonly editingKey = input<string | null>(null);
  readonly maxLength = input(4000);
  /**
   * `channel`: the channel on screen, whose scroll position is kept and whose reading marks it read
   * (ChatSelection); `thread`: a thread's stream in the side panel, which does neither.
   */
  readonly place = input<'channel' | 'thread'>('channel');
  readonly act = output<MessageAction>();

  readonly selection = inject(ChatSelection);
  private readonly injector = inject(Injector);
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private readonly items = viewChildren(MessageItem);
  /** The row that last had focus: the list's tab stop while it is rendered. */
  private readonly focusedKey = signal<string | null>(null);
  /** A row deleted while it (or something in it) had focus: focus goes to the row now at its place. */
  private refocusAfterDelete: { readonly key: string; readonly index: number } | null = null;
  /** Newest cached messages not rendered (0: following the present). */
  readonly hiddenBelow = signal(0);
  readonly count = signal(STEP * 2);
  readonly awayFromPresent = signal(false);
  /** A saved scroll position is being brought back: not at the present, whatever the scroller says. */
  private readonly restoring = signal(false);
  readonly atPresent = computed(
    () =>
      !this.restoring() &&
      this.hiddenBelow() === 0 &&
      !this.awayFromPresent() &&
      !this.timeline().hasMoreAfter(),
  );
  /** The message jumped to (a search result), highlighted for a moment; by key. */
  readonly flashKey = signal<string | null>(null);
  private flashTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The read marker the "New messages" divider follows: the one when the channel was opened with
   * unread messages, or when messages became unread while the person was not reading. Marking
   * read does not move it; leaving the channel drops it. null: no divider.
   */
  private readonly dividerAfterSeq = signal<number | null>(null);
  /** Where the list is scrolled (null: at the present), kept as the person scrolls. */
  private anchor: ScrollAnchor | null = null;
  private shown: { server: string; channelId: string } | null = null;
  /** The jump being carried out; a newer one (or another channel) makes it stop. */
  private revealing: object | null = null;

  readonly members = computed(() => this.server().get(MembersState));
  readonly selfKey = computed(() => this.server().session.publicKey);
  /** The channels a `#name` chip may open; the same array while names stay (unread counts change often). */
  readonly channelNames = computed<readonly Nameable[]>(
    () =>
      this.server()
        .get(ChannelsState)
        .channels()
        .map((c) => ({ id: c.id, name: c.name })),
    { equal: sameNames },
  );
  private readonly timelines = computed(() => this.server().get(TimelinesState));
  private readonly threads = computed(() => this.server().get(ThreadsState));
  /** Threads grow from a channel's messages, not from a thread's. */
  readonly canStartThreads = computed(
    () => this.place() === 'channel' && this.channel().rights.create_threads,
  );
  readonly timeline = computed(() => this.timelines().timeline(this.channel().id));
  /** Which channel is on screen: a new message or read state gives a new `channel()`, not a new channel. */
  private readonly shownChannel = computed(() => `${this.server().url} ${this.channel().id}`);

  private readonly windowed = computed(() => {
    const all = this.timeline().messages();
    const end = all.length - this.hiddenBelow();
    return {
      messages: all.slice(Math.max(0, end - this.count()), end),
      start: Math.max(0, end - this.count()),
    };
  });

  readonly startsAtBeginning = computed(
    () => this.timeline().loaded() && !this.timeline().hasMoreBefore() && this.windowed().start === 0,
  );

  /**
   * The first unread message by someone else, where the divider goes: only once the cache reaches
   * back to the marker (or to the channel's start), so it never sits on a message that merely is
   * the oldest one loaded.
   */
  private readonly firstUnreadKey = computed(() => {
    const marker = this.dividerAfterSeq();
    const timeline = this.timeline();
    const oldest = timeline.oldestSent();
    if (marker === null || (timeline.hasMoreBefore() && (oldest === null || oldest.seq > marker)))
      return null;
    const self = this.selfKey();
    return (
      timeline.messages().find((m) => m.state === 'sent' && m.seq > marker && m.author !== self)?.key ?? null
    );
  });

  readonly rows = computed(() => {
    const { messages } = this.windowed();
    const firstUnread = this.firstUnreadKey();
    return messages.map((message, index) => {
      const previous = messages[index - 1];
      const grouped =
        previous !== undefined &&
        previous.author === message.author &&
        Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
      const divider = message.key === firstUnread;
      return { message, grouped: grouped && !divider, divider };
    });
  });

  /** The one row in the tab order: the one focused last, or the newest rendered. */
  readonly tabbableKey = computed(() => {
    const rows = this.rows();
    const focused = this.focusedKey();
    if (focused !== null && rows.some((r) => r.message.key === focused)) return focused;
    return rows.at(-1)?.message.key ?? null;
  });

  constructor() {
    // A deleted row had focus: give it to the row that took its place, once rendered.
    effect(() => {
      const rows = this.rows();
      const pending = this.refocusAfterDelete;
      if (!pending || rows.some((r) => r.message.key === pending.key)) return;
      this.refocusAfterDelete = null;
      const next = rows[Math.min(pending.index, rows.length - 1)];
      if (next) this.focusRow(next.message.key);
    });
    // A new channel on screen: keep where the last one was, place the divider at the read marker,
    // and show the saved position of this one, or the present.
    let lastShown: string | null = null;
    effect(() => {
      const shownChannel = this.shownChannel();
      const jump = this.timelines().jump();
      untracked(() => {
        const target = jump?.streamId === this.channel().id ? jump : null;
        if (shownChannel !== lastShown) {
          lastShown = shownChannel;
          this.showChannel(target !== null);
        }
        if (target) {
          // Taken: the jump is this list's now.
          this.timelines().jump.set(null);
          void this.reveal(target.messageId);
        }
      });
    });
    // Messages that became unread while the person was not reading (another window, scrolled up):
    // the divider marks where they start, if none is shown yet.
    effect(() => {
      const channel = this.channel();
      const reading = this.place() === 'channel' ? this.selection.reading() : this.threads().reading();
      if (channel.unread === 0 || reading) return;
      untracked(() => {
        if (this.dividerAfterSeq() === null) this.dividerAfterSeq.set(channel.lastReadSeq);
      });
    });
    // Reading needs the newest messages on screen (ChatSelection.reading).
    effect(() => {
      const atPresent = this.atPresent();
      if (this.place() !== 'channel') return;
      this.selection.showList({ server: this.server().url, channelId: this.channel().id, atPresent });
    });
    inject(DestroyRef).onDestroy(() => {
      if (this.flashTimer !== null) clearTimeout(this.flashTimer);
      if (this.place() !== 'channel') return;
      this.keepPlace();
      this.selection.showList(null);
    });
  }

  /**
   * A new channel on screen: keep where the last one was, place the divider at the read marker,
   * and show the saved position of this one, or the present (unless a jump is about to place it).
   */
  private showChannel(jumping: boolean): void {
    this.keepPlace();
    const channel = this.channel();
    this.shown = { server: this.server().url, channelId: channel.id };
    this.hiddenBelow.set(0);
    this.count.set(STEP * 2);
    this.awayFromPresent.set(false);
    this.flashKey.set(null);
    this.dividerAfterSeq.set(channel.unread > 0 ? channel.lastReadSeq : null);
    this.anchor =
      this.place() === 'channel' && !jumping ? this.selection.anchorOf(this.shown.server, channel.id) : null;
    if (this.anchor) {
      void this.restore(this.anchor);
    } else if (!jumping) {
      this.restoring.set(false);
      // The scroller is the last channel's: start this one at its newest messages.
      const shown = this.shownChannel();
      afterNextRender(
        () => {
          if (this.shownChannel() === shown && !this.anchor && !this.restoring())
            this.scroller().nativeElement.scrollTop = 0;
        },
        { injector: this.injector },
      );
    }
  }

  /**
   * Shows a message (a search result): the history around it is loaded unless cached, the window
   * rendered around it, the message scrolled to the middle and highlighted for a moment.
   */
  private async reveal(messageId: string): Promise<void> {
    const shownChannel = this.shownChannel();
    const channelId = this.channel().id;
    const timelines = this.timelines();
    const timeline = this.timeline();
    const token = {};
    this.revealing = token;
    const stillShown = () => this.shownChannel() === shownChannel && this.revealing === token;
    this.anchor = null;
    this.restoring.set(true);
    try {
      await timelines.loadAround(channelId, messageId);
    } catch {
      // Gone, or offline: the list stays where it is.
    }
    if (!stillShown()) return;
    const all = timeline.messages();
    const index = all.findIndex((m) => m.id === messageId);
    const found = all[index];
    if (!found) {
      this.restoring.set(false);
      return;
    }
    const end = Math.min(all.length, index + 1 + STEP);
    this.hiddenBelow.set(all.length - end);
    this.count.set(WINDOW);
    this.flash(found.key);
    const centre = () => {
      const scroller = this.scroller().nativeElement;
      const row = scroller.querySelector<HTMLElement>(`article.message[data-key="${CSS.escape(found.key)}"]`);
      row?.scrollIntoView({ block: 'center' });
      return scroller;
    };
    afterNextRender(
      () => {
        if (!stillShown()) return;
        centre();
        // Markdown fills the rows a moment later: centre it again then.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            if (!stillShown()) return;
            const scroller = centre();
            this.awayFromPresent.set(Math.abs(scroller.scrollTop) > scroller.clientHeight * 2);
            this.restoring.set(false);
            this.anchor = this.atPresent() ? null : anchorIn(scroller);
            // Near an edge (or not even filling the list): page on from there as scrolling would.
            this.onScroll();
          }),
        );
      },
      { injector: this.injector },
    );
  }

  private flash(key: string): void {
    if (this.flashTimer !== null) clearTimeout(this.flashTimer);
    this.flashKey.set(key);
    this.flashTimer = setTimeout(() => {
      this.flashTimer = null;
      this.flashKey.set(null);
    }, FLASH_MS);
  }

  threadOf(messageId: string): ThreadView | null {
    return this.place() === 'channel' ? (this.threads().ofMessage(messageId) ?? null) : null;
  }

  onScroll(): void {
    const el = this.scroller().nativeElement;
    const fromBottom = Math.abs(el.scrollTop);
    const fromTop = el.scrollHeight - el.clientHeight - fromBottom;
    this.awayFromPresent.set(fromBottom > el.clientHeight * 2);
    if (!this.restoring()) this.anchor = this.atPresent() ? null : anchorIn(el);
    // A short window (a jump near the channel's start) is near both edges at once: it pages newer
    // too, but a window slid up at the top is not slid back down at once.
    const nearTop = fromTop < EDGE;
    if (nearTop) this.reachTop();
    if (fromBottom < EDGE && (!nearTop || this.hiddenBelow() === 0)) this.reachBottom();
  }

  /**
   * Up/Down/Home/End on a focused row move focus to the row above, below, first or last rendered
   * (reaching the top edge slides the window and loads history as scrolling does). Keys from
   * anything inside a row (the edit box, the menu, a link) are theirs, not the list's.
   */
  onRowsKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (!target.matches('article.message') || event.altKey || event.ctrlKey || event.metaKey) return;
    const items = this.items();
    const index = items.findIndex((item) => item.message().key === target.dataset['key']);
    const next = index < 0 ? null : rowStep(event.key, index, items.length);
    if (next === null) return;
    event.preventDefault();
    items[next]?.focus();
  }

  /** Focus came to a row: it becomes the list's tab stop. */
  onRowFocus(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (!target.matches('article.message')) return;
    this.focusedKey.set(target.dataset['key'] ?? null);
    // Focus moved on: a deletion that lands later does not pull it back.
    if (this.refocusAfterDelete?.key !== target.dataset['key']) this.refocusAfterDelete = null;
  }

  /** Puts focus on a row (after an edit that started on it), once it is rendered. */
  focusRow(key: string): void {
    this.focusedKey.set(key);
    afterNextRender(
      {
        write: () =>
          this.items()
            .find((item) => item.message().key === key)
            ?.focus(),
      },
      { injector: this.injector },
    );
  }

  onDelete(message: TimelineMessage): void {
    const items = this.items();
    const index = items.findIndex((item) => item.message().key === message.key);
    if (items[index]?.hasFocus()) this.refocusAfterDelete = { key: message.key, index };
    this.act.emit({ kind: 'delete', message });
  }

  jumpToPresent(): void {
    if (this.timeline().hasMoreAfter()) {
      void this.timelines()
        .toPresent(this.channel().id)
        .catch(() => undefined);
    }
    this.revealing = null;
    this.restoring.set(false);
    this.anchor = null;
    this.hiddenBelow.set(0);
    this.count.set(STEP * 2);
    this.awayFromPresent.set(false);
    this.scroller().nativeElement.scrollTop = 0;
  }

  /** Saves where the channel on screen is scrolled (leaving it, or the page going away). */
  keepPlace(): void {
    if (this.shown && this.place() === 'channel')
      this.selection.saveAnchor(this.shown.server, this.shown.channelId, this.anchor);
  }

  /**
   * Brings back a saved position: loads older pages until its message is cached (at most
   * RESTORE_PAGES), renders the window around it and scrolls it to where it was. A message that
   * is gone, or too far back, leaves the list at the present.
   */
  private async restore(anchor: ScrollAnchor): Promise<void> {
    const shownChannel = this.shownChannel();
    const channelId = this.channel().id;
    const timelines = this.timelines();
    const timeline = this.timeline();
    const stillShown = () => this.shownChannel() === shownChannel && this.anchor === anchor;
    this.restoring.set(true);
    try {
      await timelines.open(channelId);
      for (let page = 0; page < RESTORE_PAGES && !timeline.findById(anchor.messageId); page++) {
        if (!stillShown() || !timeline.hasMoreBefore()) break;
        await timelines.loadOlder(channelId);
      }
    } catch {
      // Offline: the present, once it loads.
    }
    if (!stillShown()) return;
    const all = timeline.messages();
    const index = all.findIndex((m) => m.id === anchor.messageId);
    if (index < 0) {
      this.anchor = null;
      this.restoring.set(false);
      return;
    }
    const end = Math.min(all.length, index + 1 + STEP);
    this.hiddenBelow.set(all.length - end);
    this.count.set(WINDOW);
    afterNextRender(
      () => {
        if (!stillShown()) return;
        const scroller = this.scroller().nativeElement;
        scrollToAnchor(scroller, anchor);
        // Markdown fills the rows a moment later, which can move the anchor: place it again then.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            if (!stillShown()) return;
            scrollToAnchor(scroller, anchor);
            this.awayFromPresent.set(Math.abs(scroller.scrollTop) > scroller.clientHeight * 2);
            this.restoring.set(false);
          }),
        );
      },
      { injector: this.injector },
    );
  }

  /** Slides the window down through the cache; past the newest cached message, loads newer ones. */
  private reachBottom(): void {
    if (this.hiddenBelow() > 0) {
      this.hiddenBelow.update((n) => Math.max(0, n - STEP));
      return;
    }
    const timeline = this.timeline();
    if (!timeline.hasMoreAfter() || timeline.loadingAfter() || this.restoring()) return;
    const scroller = this.scroller().nativeElement;
    const anchor = anchorIn(scroller);
    const shown = this.shownChannel();
    void this.timelines()
      .loadNewer(this.channel().id)
      .then(() => {
        // What the person reads stays where it is as the newer messages come in below it.
        if (anchor && this.shownChannel() === shown)
          afterNextRender(() => scrollToAnchor(scroller, anchor), { injector: this.injector });
      })
      .catch(() => undefined);
  }

  private reachTop(): void {
    const { start } = this.windowed();
    if (start > 0) {
      // Slide the window up through the cache, dropping the newest rows past WINDOW.
      if (this.count() < WINDOW) this.count.update((n) => n + STEP);
      else this.hiddenBelow.update((n) => n + STEP);
      return;
    }
    const timeline = this.timeline();
    if (timeline.hasMoreBefore() && !timeline.loadingBefore()) {
      void this.timelines()
        .loadOlder(this.channel().id)
        .then(() => {
          if (this.count() < WINDOW) this.count.update((n) => n + STEP);
          else this.hiddenBelow.update((n) => n + STEP);
        })
        .catch(() => undefined);
    }
  }
}
