import { computed, inject, Injectable, signal } from '@angular/core';

import type {
  MessageDeletedDto,
  MessageDto,
  ReadStateDto,
  ThreadDto,
  ThreadEntryDto,
} from '@mpqcht/protocol';
import { THREAD_SUMMARY_PARTICIPANTS, threadIdOf } from '@mpqcht/protocol/plain';

import { ServerSession } from '../connection/server-session';

/**
 * A thread as this client knows it: the summary everyone gets, and, once known, whether this member
 * follows it and their read state there (`following` null: not known yet).
 */
export interface ThreadView extends ThreadDto {
  readonly following: boolean | null;
  readonly lastReadSeq: number;
  readonly unread: number;
  readonly mentions: number;
}

function fromEntry(entry: ThreadEntryDto): ThreadView {
  const { readState, ...thread } = entry;
  return {
    ...thread,
    lastReadSeq: readState.lastReadSeq,
    unread: readState.unreadCount,
    mentions: readState.mentionCount,
  };
}

/**
 * The threads of one server that this client has seen (docs/web-client.md, Threads): the ones the
 * member follows, loaded at login (`threads.followed`), and any other met in history, in a thread
 * list or in a push. Kept current from pushes as docs/protocol.md (Threads) says: a thread
 * message updates its summary, and counts as unread where the member follows the thread and is
 * not reading it. The open thread (the side panel) is `open`.
 */
@Injectable()
export class ThreadsState {
  private readonly session = inject(ServerSession);

  /** By stream id (`thread:<id>`). */
  readonly threads = signal<ReadonlyMap<string, ThreadView>>(new Map());
  /** The thread shown in the side panel, by stream id; null when none is. */
  readonly open = signal<string | null>(null);
  /** The open thread is being read (the page is attentive): its messages are not unread. */
  readonly reading = signal(false);

  /** Per channel: unread and mention counts summed over its followed threads. */
  readonly followedCounts = computed(() => {
    const counts = new Map<string, { unread: number; mentions: number }>();
    for (const thread of this.threads().values()) {
      if (!thread.following || (thread.unread === 0 && thread.mentions === 0)) continue;
      const sum = counts.get(thread.channelId) ?? { unread: 0, mentions: 0 };
      counts.set(thread.channelId, {
        unread: sum.unread + thread.unread,
        mentions: sum.mentions + thread.mentions,
      });
    }
    return counts;
  });
  readonly unreadTotal = computed(() =>
    [...this.followedCounts().values()].reduce((n, c) => n + c.unread, 0),
  );
  readonly mentionTotal = computed(() =>
    [...this.followedCounts().values()].reduce((n, c) => n + c.mentions, 0),
  );

  constructor() {
    this.session.onLogin(() => {
      // Not awaited: the channels are usable before thread badges are (and a server older than
      // threads answers unknown_event: it has none).
      void this.loadFollowed().catch(() => undefined);
      return Promise.resolve();
    });
    this.session.on('thread.updated', (thread) => this.merge(thread));
    this.session.on('thread.following', (entry) => this.put(fromEntry(entry)));
    this.session.on('thread.deleted', (deleted) => {
      const next = new Map(this.threads());
      next.delete(deleted.streamId);
      this.threads.set(next);
      if (this.open() === deleted.streamId) this.open.set(null);
    });
    this.session.on('message.created', (message) => this.onMessage(message));
    this.session.on('message.deleted', (deleted) => this.onDeleted(deleted));
    this.session.on('readState.updated', (state) => this.applyReadState(state));
  }

  /** The threads the member follows, with their read state, as the server has them now. */
  private async loadFollowed(): Promise<void> {
    const followed = await this.session.request('threads.followed', {});
    // What was known of other threads stays (their summaries); following is true only for these.
    const next = new Map<string, ThreadView>();
    for (const [id, thread] of this.threads()) next.set(id, { ...thread, following: null });
    for (const entry of followed) next.set(entry.streamId, fromEntry(entry));
    this.threads.set(next);
  }

  find(streamId: string): ThreadView | undefined {
    return this.threads().get(streamId);
  }

  /** The thread that grew from a message, if this client knows one. */
  ofMessage(messageId: string): ThreadView | undefined {
    return this.threads().get(`thread:${messageId}`);
  }

  /** Thread summaries carried by messages of a history page. */
  rememberFrom(messages: readonly MessageDto[]): void {
    for (const message of messages) if (message.thread) this.merge(message.thread);
  }

  /** A thread entry from an answer (create, get, list, follow). */
  put(view: ThreadView): void {
    const next = new Map(this.threads());
    next.set(view.streamId, view);
    this.threads.set(next);
  }

  async create(channelId: string, messageId: string, name: string): Promise<ThreadView> {
    const view = fromEntry(await this.session.request('threads.create', { channelId, messageId, name }));
    this.put(view);
    return view;
  }

  /** Loads one thread as this member sees it (following, read state). */
  async load(streamId: string): Promise<ThreadView> {
    const view = fromEntry(await this.session.request('threads.get', { channelId: streamId }));
    this.put(view);
    return view;
  }

  async follow(streamId: string, follow: boolean): Promise<void> {
    this.put(fromEntry(await this.session.request('threads.follow', { channelId: streamId, follow })));
  }

  /**
   * A page of a channel's threads (active first), remembered: their stream ids in order, and the
   * cursor of the next page (null at the end).
   */
  async list(channelId: string, cursor?: string): Promise<{ ids: string[]; cursor: string | null }> {
    const page = await this.session.request('threads.list', cursor ? { channelId, cursor } : { channelId });
    for (const entry of page.threads) this.put(fromEntry(entry));
    return { ids: page.threads.map((t) => t.streamId), cursor: page.cursor };
  }

  async update(streamId: string, change: { name?: string; locked?: boolean; archived?: boolean }) {
    this.merge(await this.session.request('threads.update', { channelId: streamId, ...change }));
  }

  /** Deletes a thread with its messages (`manage_threads`); it closes if it was open. */
  async remove(streamId: string): Promise<void> {
    const deleted = await this.session.request('threads.delete', { channelId: streamId });
    const next = new Map(this.threads());
    next.delete(deleted.streamId);
    this.threads.set(next);
    if (this.open() === deleted.streamId) this.open.set(null);
  }

  /** A summary from the server: what this member has of it (following, read state) stays. */
  private merge(thread: ThreadDto): void {
    const known = this.threads().get(thread.streamId);
    this.put(
      known
        ? { ...known, ...thread }
        : { ...thread, following: null, lastReadSeq: 0, unread: 0, mentions: 0 },
    );
  }

  /**
   * A message in a thread: one more, this author first, active again. Posting or being mentioned
   * makes the member follow it (as the server does); a followed thread counts it as unread unless
   * it is the one being read.
   */
  private onMessage(message: MessageDto): void {
    if (!threadIdOf(message.channelId)) return;
    const known = this.threads().get(message.channelId);
    const self = this.session.publicKey;
    const mentioned = message.mentions.includes(self);
    if (!known) {
      // A thread this client has not met: a mention makes the member follow it; learn its state.
      if (mentioned) void this.load(message.channelId).catch(() => undefined);
      return;
    }
    if (message.seq <= known.lastSeq) return;
    const own = message.author === self;
    const following = known.following === true || own || mentioned;
    const counts = following && !own && !(this.reading() && this.open() === message.channelId);
    this.put({
      ...known,
      messageCount: known.messageCount + 1,
      lastMessageAt: message.createdAt,
      lastSeq: message.seq,
      lastRev: Math.max(known.lastRev, message.rev),
      participants: [message.author, ...known.participants.filter((p) => p !== message.author)].slice(
        0,
        THREAD_SUMMARY_PARTICIPANTS,
      ),
      archived: false,
      following: following ? true : known.following,
      unread: known.unread + (counts ? 1 : 0),
      mentions: known.mentions + (counts && mentioned ? 1 : 0),
    });
  }

  private onDeleted(deleted: MessageDeletedDto): void {
    const known = this.threads().get(deleted.channelId);
    if (!known) return;
    const unread = deleted.seq > known.lastReadSeq && known.unread > 0 ? 1 : 0;
    this.put({
      ...known,
      messageCount: Math.max(0, known.messageCount - 1),
      lastRev: Math.max(known.lastRev, deleted.rev),
      unread: known.unread - unread,
    });
  }

  /** The member's read state in a thread (their marker moved here or on another device). */
  applyReadState(state: ReadStateDto): void {
    const known = this.threads().get(state.channelId);
    if (!known || state.lastReadSeq < known.lastReadSeq) return;
    this.put({
      ...known,
      lastReadSeq: state.lastReadSeq,
      unread: state.unreadCount,
      mentions: state.mentionCount,
    });
  }
}
