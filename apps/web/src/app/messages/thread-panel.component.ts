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
import { PageAttention } from '../shared/page-attention';
import { THREAD_ICON } from '../threads/thread-chip.component';
import { ThreadsState } from '../threads/threads.state';
import { Composer } from './composer.component';
import { type MessageAction, MessageList } from './message-list.component';
import { describeRequestError } from './request-error';

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
  template: `
    @if (view(); as v) {
      <header class="thread-header">
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path [attr.d]="icon" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
        </svg>
        <div class="titles">
          <h2 data-test="thread-title">{{ v.thread.name }}</h2>
          <span class="where"
            >#{{ v.channelName }}
            @if (v.thread.locked) {
              · locked
            } @else if (v.thread.archived) {
              · archived
            }
          </span>
        </div>
        <button
          type="button"
          class="button small"
          (click)="toggleFollow(v.thread.streamId, v.thread.following !== true)"
          [attr.aria-pressed]="v.thread.following === true"
          data-test="thread-follow"
        >
          {{ v.thread.following ? 'Following' : 'Follow' }}
        </button>
        <button
          type="button"
          class="close"
          (click)="close()"
          aria-label="Close thread"
          data-test="thread-close"
        >
          ×
        </button>
      </header>
      <mq-message-list
        [server]="v.server"
        [channel]="v.stream"
        place="thread"
        [editingKey]="editingKey()"
        [maxLength]="v.stream.rights.maxMessageLength"
        (act)="onAction(v.stream.id, $event)"
      />
      <div class="typing" aria-live="polite">{{ typingText() }}</div>
      @if (error(); as message) {
        <p class="error" role="alert" data-test="thread-error">{{ message }}</p>
      }
      @if (v.stream.rights.write) {
        <mq-composer
          placeholder="Reply in the thread"
          [maxLength]="v.stream.rights.maxMessageLength"
          [slowmodeMs]="v.stream.rights.slowmodeMs"
          (sent)="send(v.stream.id, $event)"
          (typed)="typed(v.stream.id)"
        />
      } @else {
        <p class="read-only" data-test="thread-read-only">
          {{ v.thread.locked ? 'This thread is locked.' : 'You cannot reply in this thread.' }}
        </p>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
      border-left: 1px solid var(--mq-border);
      background: var(--mq-surface-2);
    }
    .thread-header {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 48px;
      padding: 0 8px 0 16px;
      border-bottom: 1px solid var(--mq-border);
      flex: none;
    }
    .thread-header svg {
      flex: none;
      color: var(--mq-text-muted);
    }
    .titles {
      display: grid;
      min-width: 0;
      flex: 1;
    }
    h2 {
      margin: 0;
      font-size: 15px;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .where {
      color: var(--mq-text-muted);
      font-size: 12px;
    }
    .close {
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font-size: 22px;
      cursor: pointer;
      padding: 0 6px;
    }
    .typing {
      height: 18px;
      padding: 0 16px;
      font-size: 12px;
      color: var(--mq-text-muted);
    }
    .error {
      margin: 0 16px 4px;
      color: var(--mq-danger);
      font-size: 13px;
    }
    .read-only {
      margin: 0 16px 16px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mq-surface);
      color: var(--mq-text-muted);
      text-align: center;
    }
  `,
})
export class ThreadPanel {
  private readonly selection = inject(ChatSelection);
  private readonly attention = inject(PageAttention);
  readonly icon = THREAD_ICON;
  readonly editingKey = signal<string | null>(null);
  readonly error = signal<string | null>(null);

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
    return { server, threads, thread, channelName: channel.name, stream };
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
      switch (action.kind) {
        case 'retry':
          await timelines.retry(streamId, message.clientId);
          break;
        case 'discard':
          timelines.timeline(streamId).discard(message.clientId);
          break;
        case 'edit-start':
          this.editingKey.set(message.key);
          break;
        case 'edit-cancel':
          this.editingKey.set(null);
          break;
        case 'edit':
          if (message.id && action.content !== undefined) await timelines.edit(message.id, action.content);
          this.editingKey.set(null);
          break;
        case 'delete':
          if (message.id) await timelines.remove(streamId, message.id);
          break;
        default:
          break;
      }
    } catch (error) {
      this.error.set(describeRequestError(error));
    }
  }
}
