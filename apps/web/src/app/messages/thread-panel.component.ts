import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';

import { ChannelsState, type ChannelState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import { TypingState } from '../channels/typing.state';
import { ChatSelection } from '../servers/chat-selection';
import { injectDialogs } from '../shared/dialogs';
import { PageAttention } from '../shared/page-attention';
import { THREAD_ICON } from '../threads/thread-chip.component';
import { ThreadsState } from '../threads/threads.state';
import { Composer } from './composer.component';
import { type MessageAction, MessageList } from './message-list.component';
import { describeRequestError } from './request-error';
import { StartThreadDialog } from './start-thread.dialog';
import { applyToStoredMessage } from './stored-message-action';

/**
 * The open thread, beside the channel (docs/web-client.md, Threads): its name and state, follow and
 * close, its messages (the same windowed list and cache as a channel's) and a composer where the
 * member may write. Reading it marks it read while the page is attentive. Escape closes it.
 */
@Component({
  selector: 'mq-thread-panel',
  imports: [MessageList, Composer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'complementary', 'aria-label': 'Thread', '(keydown.escape)': 'close()' },
  templateUrl: './thread-panel.component.html',
  styleUrls: ['./message-column.css', './thread-panel.component.css'],
})
export class ThreadPanel {
  private readonly selection = inject(ChatSelection);
  private readonly attention = inject(PageAttention);
  readonly icon = THREAD_ICON;
  readonly editingKey = signal<string | null>(null);
  readonly error = signal<string | null>(null);
  readonly manageOpen = signal(false);
  private readonly dialogs = injectDialogs();

  /** The open thread of the server on screen, with its channel and a channel-shaped view of its stream. */
  readonly view = computed(() => {
    const server = this.selection.server();
    if (!server) return null;
    const threads = server.get(ThreadsState);
    const streamId = threads.open();
    const thread = streamId ? threads.find(streamId) : undefined;
    if (!thread) return null;
    const channel = server.get(ChannelsState).find(thread.channelId);
    if (!channel) return null;
    // A thread has its channel's rights, never more: read-only when locked (docs/permissions.md).
    const write = channel.rights.write && (!thread.locked || channel.rights.manage_threads);
    const stream: ChannelState = {
      id: thread.streamId,
      name: thread.name,
      groupId: channel.groupId,
      topic: '',
      lastSeq: thread.lastSeq,
      lastRev: thread.lastRev,
      lastReadSeq: thread.lastReadSeq,
      lastReadMessageId: null,
      unread: thread.unread,
      mentions: thread.mentions,
      rights: { ...channel.rights, write, create_threads: false },
    };
    // What the member may change (docs/permissions.md, Threads): its creator renames and archives
    // it while it is not locked; manage_threads does everything.
    const manages = channel.rights.manage_threads;
    const own = thread.creator === server.session.publicKey && !thread.locked;
    const can = { rename: manages || own, archive: manages || own, lock: manages, delete: manages };
    return { server, threads, thread, channelName: channel.name, stream, can };
  });

  /** Which thread is open: a new message gives a new `view()`, not a new thread. */
  private readonly openStream = computed(() => this.view()?.thread.streamId ?? null);

  readonly typingText = computed(() => {
    const v = this.view();
    if (!v) return '';
    const names = (v.server.get(TypingState).typing().get(v.thread.streamId) ?? []).map((t) => t.displayName);
    if (names.length === 0) return '';
    return names.length === 1 ? `${names[0] ?? ''} is typing…` : `${names.join(', ')} are typing…`;
  });

  constructor() {
    // A thread opened: its messages load, and its own state (following, read marker) is asked once.
    effect(() => {
      const streamId = this.openStream();
      if (!streamId) return;
      untracked(() => {
        const v = this.view();
        if (!v) return;
        this.editingKey.set(null);
        this.error.set(null);
        void v.server
          .get(TimelinesState)
          .open(streamId)
          .catch(() => undefined);
        if (v.thread.following === null) void v.threads.load(streamId).catch(() => undefined);
      });
    });
    // Read while the page is attentive: its new messages are not unread, and it is marked read.
    effect(() => {
      const v = this.view();
      const reading = v !== null && this.attention.attentive();
      const threads = this.selection.server()?.get(ThreadsState);
      untracked(() => threads?.reading.set(reading));
      if (!v || !reading) return;
      v.server.get(TimelinesState).timeline(v.thread.streamId).messages();
      untracked(() => v.server.get(TimelinesState).markReadSoon(v.thread.streamId));
    });
  }

  /** Renames the thread, in the name dialog (its name offered). */
  rename(streamId: string, name: string): void {
    this.manageOpen.set(false);
    const threads = this.selection.server()?.get(ThreadsState);
    if (!threads) return;
    const ref = this.dialogs.open(StartThreadDialog, {
      label: 'Rename the thread',
      inputs: { suggestion: name, heading: 'Rename the thread', action: 'Rename' },
    });
    ref.componentInstance?.named.subscribe((next: string) => {
      threads
        .update(streamId, { name: next })
        .then(() => ref.close())
        .catch((error: unknown) => ref.componentInstance?.failed(describeRequestError(error)));
    });
  }

  /** Locks or unlocks, archives or unarchives. */
  change(streamId: string, change: { locked?: boolean; archived?: boolean }): void {
    this.manageOpen.set(false);
    this.selection
      .server()
      ?.get(ThreadsState)
      .update(streamId, change)
      .catch((error: unknown) => this.error.set(describeRequestError(error)));
  }

  /** Deletes the thread and its messages, once confirmed. */
  async remove(streamId: string, name: string): Promise<void> {
    this.manageOpen.set(false);
    const threads = this.selection.server()?.get(ThreadsState);
    if (!threads) return;
    const sure = await this.dialogs.confirm({
      title: 'Delete the thread?',
      message: `“${name}” and all its messages will be deleted for everyone. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!sure) return;
    await threads.remove(streamId).catch((error: unknown) => this.error.set(describeRequestError(error)));
  }

  close(): void {
    this.selection.server()?.get(ThreadsState).open.set(null);
  }

  toggleFollow(streamId: string, follow: boolean): void {
    this.selection
      .server()
      ?.get(ThreadsState)
      .follow(streamId, follow)
      .catch((error: unknown) => this.error.set(describeRequestError(error)));
  }

  send(streamId: string, content: string): void {
    this.error.set(null);
    void this.selection.server()?.get(TimelinesState).send(streamId, content);
  }

  typed(streamId: string): void {
    this.selection.server()?.get(TypingState).typingIn(streamId);
  }

  async onAction(streamId: string, action: MessageAction): Promise<void> {
    const timelines = this.selection.server()?.get(TimelinesState);
    if (!timelines) return;
    const { message } = action;
    this.error.set(null);
    try {
      if (action.kind === 'edit-start') this.editingKey.set(message.key);
      else if (action.kind === 'edit-cancel') this.editingKey.set(null);
      else if ((await applyToStoredMessage(timelines, streamId, action)) && action.kind === 'edit')
        this.editingKey.set(null);
    } catch (error) {
      this.error.set(describeRequestError(error));
    }
  }
}
