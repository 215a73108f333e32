import { computed, inject, Injectable, signal } from '@angular/core';

import type {
  ChannelDto,
  ChannelGroupDto,
  ChannelListDto,
  ChannelRightsDto,
  MessageDto,
  ReadStateDto,
  VoiceChannelDto,
} from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';

export interface ChannelState {
  readonly id: string;
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
  readonly lastSeq: number;
  /** The channel's latest change number when the channel list was read. */
  readonly lastRev: number;
  readonly lastReadSeq: number;
  readonly lastReadMessageId: string | null;
  readonly unread: number;
  readonly mentions: number;
  /** What this member may do here (the composer and message actions follow it). */
  readonly rights: ChannelRightsDto;
  /** A voice channel's call settings and rights; absent on a text channel. */
  readonly voice?: VoiceChannelDto;
}

function toChannelState(channel: ChannelDto): ChannelState {
  const state = channel.readState;
  return {
    id: channel.id,
    name: channel.name,
    groupId: channel.groupId,
    topic: channel.topic,
    lastSeq: channel.lastSeq,
    lastRev: channel.lastRev,
    lastReadSeq: state.lastReadSeq,
    lastReadMessageId: state.lastReadMessageId,
    unread: state.unreadCount,
    mentions: state.mentionCount,
    rights: channel.rights,
    ...(channel.voice ? { voice: channel.voice } : {}),
  };
}

/**
 * The channels of one server this member can see, in their groups, with read state: unread and
 * mention counts per channel and in total. The channel being read (`viewing`) counts nothing.
 */
@Injectable()
export class ChannelsState {
  private readonly session = inject(ServerSession);

  readonly groups = signal<readonly ChannelGroupDto[]>([]);
  readonly channels = signal<readonly ChannelState[]>([]);
  /**
   * The channel the person is reading, or null: on screen, at its newest messages, in a visible and
   * focused page (ChatSelection decides). Its new messages are not unread: they are marked read.
   */
  readonly viewing = signal<string | null>(null);

  readonly unreadTotal = computed(() => this.channels().reduce((n, c) => n + c.unread, 0));
  readonly mentionTotal = computed(() => this.channels().reduce((n, c) => n + c.mentions, 0));

  constructor() {
    this.session.onLogin(async () => this.setList(await this.session.request('channels.list', {})));
    // The member's rights changed (roles): the channels they can see now, as channels.list says.
    this.session.on('channels.changed', (list) => {
      this.setList(list);
      // Roles changed: the server permissions (what the member panel offers) may have too.
      void this.session.refresh();
    });
    this.session.on('readState.updated', (state) => this.applyReadState(state));
  }

  find(channelId: string): ChannelState | undefined {
    return this.channels().find((c) => c.id === channelId);
  }

  /** A new message by another member: unread (and a mention) unless its channel is on screen. */
  countIncoming(message: MessageDto): void {
    const mentioned = message.mentions.includes(this.session.publicKey);
    this.channels.update((channels) =>
      channels.map((c) => {
        if (c.id !== message.channelId) return c;
        const lastSeq = Math.max(c.lastSeq, message.seq);
        if (this.viewing() === c.id) return { ...c, lastSeq };
        return { ...c, lastSeq, unread: c.unread + 1, mentions: c.mentions + (mentioned ? 1 : 0) };
      }),
    );
  }

  /** An own message: the channel's newest seq moves, nothing becomes unread. */
  noteOwnMessage(message: MessageDto): void {
    this.channels.update((channels) =>
      channels.map((c) =>
        c.id === message.channelId ? { ...c, lastSeq: Math.max(c.lastSeq, message.seq) } : c,
      ),
    );
  }

  /**
   * Keeps counts right when an unread message changes: an edit can add or drop a mention of this
   * member, a delete removes one unread message. Read messages and own messages do not count.
   */
  adjustUnread(
    channelId: string,
    seq: number,
    author: string,
    mentionsBefore: readonly string[],
    mentionsAfter: readonly string[],
    unreadDelta: 0 | -1,
  ): void {
    const self = this.session.publicKey;
    if (author === self) return;
    const mentionDelta = Number(mentionsAfter.includes(self)) - Number(mentionsBefore.includes(self));
    this.channels.update((channels) =>
      channels.map((c) =>
        c.id === channelId && seq > c.lastReadSeq && this.viewing() !== c.id
          ? {
              ...c,
              unread: Math.max(0, c.unread + unreadDelta),
              mentions: Math.max(0, c.mentions + mentionDelta),
            }
          : c,
      ),
    );
  }

  /** Clears the counts of a channel with nothing cached to mark read up to. */
  clearCounts(channel: ChannelState): void {
    this.applyReadState({
      channelId: channel.id,
      lastReadSeq: channel.lastReadSeq,
      lastReadMessageId: channel.lastReadMessageId,
      unreadCount: 0,
      mentionCount: 0,
    });
  }

  /**
   * A read state from the server. One older than the marker held is stale (the marker never moves
   * back; two answers can cross). In the channel being read, what the answer still counts arrived
   * after the request and is being read too: the next mark-read covers it, so it shows no badge.
   */
  applyReadState(state: ReadStateDto): void {
    const reading = this.viewing() === state.channelId;
    this.channels.update((channels) =>
      channels.map((c) =>
        c.id === state.channelId && state.lastReadSeq >= c.lastReadSeq
          ? {
              ...c,
              lastReadSeq: state.lastReadSeq,
              lastReadMessageId: state.lastReadMessageId,
              unread: reading ? 0 : state.unreadCount,
              mentions: reading ? 0 : state.mentionCount,
            }
          : c,
      ),
    );
  }

  private setList(list: ChannelListDto): void {
    this.groups.set(list.groups);
    this.channels.set(list.channels.map(toChannelState));
  }
}
