import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { ChannelsState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import { TypingState } from '../channels/typing.state';
import { VOICE_ICONS } from '../navigation/voice-icons';
import { ChannelViewers } from '../roster/channel-viewers';
import { MembersState } from '../roster/members.state';
import { SearchBox } from '../search/search-box.component';
import { ChatSelection } from '../servers/chat-selection';
import { injectDialogs } from '../shared/dialogs';
import { THREAD_ICON } from '../threads/thread-chip.component';
import { ThreadList } from '../threads/thread-list.component';
import { ThreadsState } from '../threads/threads.state';
import { CallGrid } from '../voice/call-grid.component';
import { Composer, type MentionOption } from './composer.component';
import { type MessageAction, MessageList } from './message-list.component';
import { describeRequestError } from './request-error';
import { ServerStatus } from './server-status.component';
import { StartThreadDialog, suggestedThreadName } from './start-thread.dialog';
import { applyToStoredMessage } from './stored-message-action';

/** The middle column: the channel's header, its messages, who is typing, and the composer. */
@Component({
  selector: 'mq-message-pane',
  imports: [MessageList, Composer, ServerStatus, CallGrid, ThreadList, SearchBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The page's main landmark (rail and channels are navigation, members complementary).
  host: { role: 'main' },
  templateUrl: './message-pane.component.html',
  styleUrls: ['./message-column.css', './message-pane.component.css'],
})
export class MessagePane {
  readonly selection = inject(ChatSelection);
  readonly speakerIcon = VOICE_ICONS.speaker;
  private readonly composer = viewChild(Composer);
  private readonly list = viewChild(MessageList);
  readonly editingKey = signal<string | null>(null);
  /** An edit started on a focused row (keyboard): focus goes back to that row when it ends. */
  private editFromRow = false;
  readonly error = signal<string | null>(null);
  private readonly dialogs = injectDialogs();
  readonly threadIcon = THREAD_ICON;
  readonly threadsState = ThreadsState;
  readonly threadListOpen = signal(false);

  /** The member's own limit in this channel (roles and channels can change it). */
  readonly maxLength = computed(
    () =>
      this.selection.channel()?.rights.maxMessageLength ??
      this.selection.server()?.session.info()?.maxMessageLength ??
      4000,
  );

  private readonly timelines = computed(() => this.selection.server()?.get(TimelinesState) ?? null);
  private readonly shownChannel = computed(
    () => `${this.selection.server()?.url ?? ''} ${this.selection.channel()?.id ?? ''}`,
  );
  readonly hasChannels = computed(
    () => (this.selection.server()?.get(ChannelsState).channels().length ?? 0) > 0,
  );

  /** The latest rate-limited send's deadline in this channel: the composer counts down to it. */
  readonly retryAt = computed(() => {
    const timelines = this.timelines();
    const channel = this.selection.channel();
    if (!timelines || !channel) return null;
    let latest: number | null = null;
    for (const m of timelines.timeline(channel.id).messages()) {
      if (m.state === 'failed' && m.retryAt && (latest === null || m.retryAt > latest)) latest = m.retryAt;
    }
    return latest;
  });

  /**
   * Whom `@` offers: the members who can view the channel (as `channels.viewers` says; every member
   * known until it has answered), online ones first, then by name.
   */
  readonly mentionMembers = computed<readonly MentionOption[]>(() => {
    const server = this.selection.server();
    const channel = this.selection.channel();
    if (!server || !channel) return [];
    const viewers = server.get(ChannelViewers).of(channel.id);
    const self = server.session.publicKey;
    return [...server.get(MembersState).members().values()]
      .filter((m) => viewers === null || viewers.has(m.publicKey))
      .sort((a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName))
      .map((m) => ({
        id: m.publicKey,
        name: m.displayName,
        detail: m.publicKey === self ? 'you' : '',
        online: m.online,
      }));
  });

  /** What `#` offers: the server's channels this member can see, in the sidebar's order. */
  readonly mentionChannels = computed<readonly MentionOption[]>(() =>
    (this.selection.server()?.get(ChannelsState).channels() ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      detail: c.topic,
    })),
  );

  readonly typingText = computed(() => {
    const server = this.selection.server();
    const channel = this.selection.channel();
    if (!server || !channel) return '';
    const names = (server.get(TypingState).typing().get(channel.id) ?? []).map((t) => t.displayName);
    if (names.length === 0) return '';
    if (names.length === 1) return `${names[0] ?? ''} is typing…`;
    if (names.length <= 3) return `${names.join(', ')} are typing…`;
    return 'Several people are typing…';
  });

  constructor() {
    // Another channel on screen drops the edit and the error. Keyed by id: the channel's state is
    // a new object on every read-state change, which must not cancel an edit being typed.
    effect(() => {
      this.shownChannel();
      untracked(() => {
        this.editingKey.set(null);
        this.error.set(null);
        this.threadListOpen.set(false);
      });
    });
  }

  send(content: string): void {
    const timelines = this.timelines();
    const channel = this.selection.channel();
    if (!timelines || !channel) return;
    this.error.set(null);
    void timelines.send(channel.id, content);
  }

  loadViewers(channelId: string): void {
    this.selection.server()?.get(ChannelViewers).load(channelId);
  }

  typed(channelId: string): void {
    this.selection.server()?.get(TypingState).typingIn(channelId);
  }

  editLast(): void {
    const server = this.selection.server();
    const channel = this.selection.channel();
    if (!server || !channel) return;
    const own = server
      .get(TimelinesState)
      .timeline(channel.id)
      .messages()
      .filter((m) => m.author === server.session.publicKey && m.state === 'sent');
    const last = own[own.length - 1];
    if (last) {
      this.editingKey.set(last.key);
      this.editFromRow = false;
    }
  }

  openThread(streamId: string): void {
    this.selection.server()?.get(ThreadsState).open.set(streamId);
  }

  /** Asks for the new thread's name (the message's first words offered), then opens it. */
  private startThread(channelId: string, messageId: string, content: string): void {
    const threads = this.selection.server()?.get(ThreadsState);
    if (!threads) return;
    const ref = this.dialogs.open(StartThreadDialog, {
      label: 'Start a thread',
      inputs: { suggestion: suggestedThreadName(content) },
    });
    ref.componentInstance?.named.subscribe((name: string) => {
      threads
        .create(channelId, messageId, name)
        .then((thread) => {
          ref.close();
          threads.open.set(thread.streamId);
        })
        .catch((error: unknown) => ref.componentInstance?.failed(describeRequestError(error)));
    });
  }

  /** Editing ended: focus goes back where it started (the row, or the composer). */
  private endEdit(key: string): void {
    this.editingKey.set(null);
    if (this.editFromRow) this.list()?.focusRow(key);
    else this.composer()?.focus();
    this.editFromRow = false;
  }

  async onAction(action: MessageAction): Promise<void> {
    const timelines = this.timelines();
    const channel = this.selection.channel();
    if (!timelines || !channel) return;
    const { message } = action;
    this.error.set(null);
    try {
      switch (action.kind) {
        case 'edit-start':
          this.editingKey.set(message.key);
          this.editFromRow = action.viaKeyboard ?? false;
          return;
        case 'edit-cancel':
          this.endEdit(message.key);
          return;
        case 'thread-open':
          if (message.id) this.openThread(`thread:${message.id}`);
          return;
        case 'thread-start':
          if (message.id) this.startThread(channel.id, message.id, message.content);
          return;
        default:
          await applyToStoredMessage(timelines, channel.id, action);
          if (action.kind === 'edit') this.endEdit(message.key);
      }
    } catch (error) {
      this.error.set(describeRequestError(error));
    }
  }
}
