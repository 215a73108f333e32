import { inject, Injectable, signal } from '@angular/core';

import type { MessageDeletedDto, MessageDto } from '@mpqcht/protocol';
import { threadIdOf } from '@mpqcht/protocol/plain';

import { describeFailure, RequestFailed } from '../connection/request-failed';
import { ServerSession } from '../connection/server-session';
import { ThreadsState } from '../threads/threads.state';
import { ChannelCatchUp } from './channel-catch-up';
import { ChannelTimeline, type TimelineMessage } from './channel-timeline';
import { ChannelsState } from './channels.state';
import { MarkReadThrottle } from './mark-read-throttle';
import { Outbox, type OutboxDelivery } from './outbox';
import type { OutboxEntry } from './outbox.storage';

/**
 * Refusals after which a send waits in the outbox for the next login: the connection is gone or
 * going (a restart drains), so the server did not decide about the message.
 */
const WAIT_FOR_CONNECTION = new Set(['offline', 'server_restarting']);

/**
 * A message to show (a search result was chosen): the list of its stream loads the history around
 * it, scrolls it into view and flashes it. `at` tells two jumps to the same message apart.
 */
export interface JumpTarget {
  readonly streamId: string;
  readonly messageId: string;
  readonly at: number;
}

/**
 * The message caches of one server's channels: history pages, optimistic sends with retry by client
 * id, edits and deletes, the pushes that keep them current, and catching up with `messages.since`
 * after a reconnect or a gap. Unread counts are kept by ChannelsState; this decides what counts.
 */
@Injectable()
export class TimelinesState {
  private readonly session = inject(ServerSession);
  private readonly channels = inject(ChannelsState);
  private readonly threads = inject(ThreadsState);
  private readonly outbox = inject(Outbox);
  private readonly timelines = new Map<string, ChannelTimeline>();
  private readonly loads = new Map<string, Promise<void>>();
  private readonly newerLoads = new Map<string, Promise<void>>();
  /** The message the list of its stream is to jump to, until that list takes it. */
  readonly jump = signal<JumpTarget | null>(null);
  private readonly catchUps = new ChannelCatchUp({
    since: (channelId, afterRev) => this.session.request('messages.since', { channelId, afterRev }),
    // applyMessage keeps the cache contiguous itself (ChannelTimeline.covers).
    applyMessage: (_timeline, message) => this.applyMessage(message),
    applyDeleted: (_timeline, deleted) => this.applyDeleted(deleted),
    reload: (channelId) => this.open(channelId),
  });
  private readonly readMarks = new MarkReadThrottle((channelId, messageId) =>
    this.sendMarkRead(channelId, messageId),
  );
  /** Off while a reconnect's catch-up runs: the channel list just read already counts those. */
  private countingUnread = true;

  constructor() {
    this.session.on('message.created', (message) => {
      this.applyMessage(message);
      this.noteRev(message.channelId, message.rev);
    });
    this.session.on('message.updated', (message) => {
      this.applyMessage(message);
      this.noteRev(message.channelId, message.rev);
    });
    this.session.on('message.deleted', (deleted) => {
      this.applyDeleted(deleted);
      this.noteRev(deleted.channelId, deleted.rev);
    });
    // What waited for the connection goes first, without holding up the catch-up.
    this.session.onResume(() => {
      void this.flush();
      return Promise.resolve();
    });
    this.session.onResume(() => this.catchUpAfterLogin());
    // Sends that were waiting when the page was last closed: shown again, sent at the next login.
    for (const entry of this.outbox.entries()) {
      this.timeline(entry.channelId).addPending({
        ...entry,
        author: this.session.publicKey,
        waiting: true,
      });
    }
  }

  timeline(channelId: string): ChannelTimeline {
    let timeline = this.timelines.get(channelId);
    if (!timeline) {
      timeline = new ChannelTimeline(channelId);
      this.timelines.set(channelId, timeline);
    }
    return timeline;
  }

  /** Loads the newest page of a channel the first time it is opened. */
  async open(channelId: string): Promise<void> {
    if (this.timeline(channelId).loaded()) return;
    await this.loadOlder(channelId);
  }

  /** Loads the page before the oldest cached message; while one loads, that one's promise. */
  loadOlder(channelId: string): Promise<void> {
    const inFlight = this.loads.get(channelId);
    if (inFlight) return inFlight;
    const timeline = this.timeline(channelId);
    if (timeline.loaded() && !timeline.hasMoreBefore()) return Promise.resolve();
    const load = this.fetchOlder(channelId, timeline).finally(() => this.loads.delete(channelId));
    this.loads.set(channelId, load);
    return load;
  }

  private async fetchOlder(channelId: string, timeline: ChannelTimeline): Promise<void> {
    timeline.loadingBefore.set(true);
    try {
      const before = timeline.oldestSent()?.id ?? undefined;
      const page = await this.session.request(
        'messages.history',
        before ? { channelId, before } : { channelId },
      );
      if (!timeline.loaded()) {
        // Complete up to the newest change the page or the channel list shows; if pushes the page
        // missed came after, the next push reveals the gap and `messages.since` fills it.
        const listed = this.channels.find(channelId)?.lastRev ?? 0;
        timeline.rev = Math.max(listed, ...page.messages.map((m) => m.rev));
      }
      timeline.addPage(page.messages);
      this.threads.rememberFrom(page.messages);
      timeline.hasMoreBefore.set(page.hasMore);
      timeline.loaded.set(true);
    } finally {
      timeline.loadingBefore.set(false);
    }
  }

  /**
   * Loads the page after the newest cached message, when the cache is a window that does not
   * reach the present (after `loadAround`); while one loads, that one's promise.
   */
  loadNewer(channelId: string): Promise<void> {
    const inFlight = this.newerLoads.get(channelId);
    if (inFlight) return inFlight;
    const timeline = this.timeline(channelId);
    const after = timeline.newestSent()?.id;
    if (!timeline.loaded() || !timeline.hasMoreAfter() || !after) return Promise.resolve();
    const load = (async () => {
      timeline.loadingAfter.set(true);
      try {
        const page = await this.session.request('messages.history', { channelId, after });
        timeline.addNewerPage(page.messages, page.hasMore);
        this.threads.rememberFrom(page.messages);
      } finally {
        timeline.loadingAfter.set(false);
      }
    })().finally(() => this.newerLoads.delete(channelId));
    this.newerLoads.set(channelId, load);
    return load;
  }

  /**
   * Makes sure a message is cached, to show it: when it is not, the cache is replaced by the
   * history around it (`messages.around`), from where paging goes both ways. Waits for a load
   * in flight first, so a page of the present never lands on the window (or the other way).
   */
  async loadAround(channelId: string, messageId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    await Promise.all([this.loads.get(channelId), this.newerLoads.get(channelId)]).catch(() => undefined);
    if (timeline.findById(messageId)) return;
    const load = (async () => {
      timeline.loadingBefore.set(true);
      try {
        const page = await this.session.request('messages.around', { channelId, messageId });
        const listed = this.channels.find(channelId)?.lastRev ?? this.threads.find(channelId)?.lastRev ?? 0;
        timeline.rev = Math.max(timeline.rev, listed, ...page.messages.map((m) => m.rev));
        timeline.replaceWith(page.messages, page.hasBefore, page.hasAfter);
        this.threads.rememberFrom(page.messages);
      } finally {
        timeline.loadingBefore.set(false);
      }
    })().finally(() => this.loads.delete(channelId));
    this.loads.set(channelId, load);
    return load;
  }

  /** Back to the newest messages: a window away from the present is dropped, the newest page loaded. */
  async toPresent(channelId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    if (!timeline.hasMoreAfter()) return;
    await Promise.all([this.loads.get(channelId), this.newerLoads.get(channelId)]).catch(() => undefined);
    timeline.reset();
    await this.open(channelId);
  }

  /**
   * Optimistic send: the message shows at once as pending and goes into the outbox, which sends
   * it now or, while the server is away, when it is back; the ack replaces it.
   */
  async send(channelId: string, content: string): Promise<void> {
    const clientId = crypto.randomUUID();
    const createdAt = new Date().toISOString();
    // Sent while reading older history: it shows at the present, where the list goes.
    if (this.timeline(channelId).hasMoreAfter()) void this.toPresent(channelId).catch(() => undefined);
    this.timeline(channelId).addPending({ clientId, author: this.session.publicKey, content, createdAt });
    await this.enqueue({ channelId, clientId, content, createdAt });
  }

  /** Sends a failed message again with the same client id, so it is stored at most once. */
  async retry(channelId: string, clientId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    const failed = timeline.find(clientId);
    if (!failed || failed.state !== 'failed') return;
    timeline.setState(clientId, 'pending');
    await this.enqueue({ channelId, clientId, content: failed.content, createdAt: failed.createdAt });
  }

  private async enqueue(entry: OutboxEntry): Promise<void> {
    if (!this.outbox.add(entry)) {
      this.timeline(entry.channelId).setState(
        entry.clientId,
        'failed',
        'too many messages are waiting for this server; send it again once they are sent',
      );
      return;
    }
    await this.flush();
  }

  private flush(): Promise<void> {
    return this.outbox.flush((entry) => this.deliver(entry));
  }

  async edit(messageId: string, content: string): Promise<void> {
    const message = await this.session.request('messages.edit', { messageId, content });
    this.timeline(message.channelId).upsert(message);
  }

  async remove(channelId: string, messageId: string): Promise<void> {
    await this.session.request('messages.delete', { messageId });
    this.timeline(channelId).remove(messageId);
  }

  /** Marks everything up to the newest cached message of the channel as read (Escape). */
  async markRead(channelId: string): Promise<void> {
    const newest = this.timeline(channelId).newestSent();
    const channel = this.channels.find(channelId);
    if (!newest?.id || !channel || newest.seq <= channel.lastReadSeq) {
      if (channel && channel.unread > 0 && !newest) this.channels.clearCounts(channel);
      return;
    }
    await this.sendMarkRead(channelId, newest.id);
  }

  /**
   * The member is reading the newest messages of the channel: marks it read up to the newest
   * cached one, paced (MarkReadThrottle). Only when something is unread past the read marker: the
   * member's own replies never are, so they cost no request.
   */
  markReadSoon(channelId: string): void {
    const channel = this.readPosition(channelId);
    const timeline = this.timeline(channelId);
    const messages = timeline.messages();
    // A window away from the present: its newest cached message is not the newest one.
    if (!channel || !timeline.loaded() || timeline.hasMoreAfter()) return;
    let newest: TimelineMessage | null = null;
    let othersUnread = false;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i];
      if (!message || message.state !== 'sent') continue;
      if (message.seq <= channel.lastReadSeq) break;
      newest ??= message;
      if (message.author !== this.session.publicKey) {
        othersUnread = true;
        break;
      }
    }
    if (newest?.id && (othersUnread || channel.unread > 0)) {
      this.readMarks.request(channelId, { messageId: newest.id, seq: newest.seq });
    } else if (!newest && channel.unread > 0) {
      // Counted, but nothing newer than the marker is left to read (deleted meanwhile).
      channel.clearCounts();
    }
  }

  /** Where the member's read marker is in a stream: a channel's, or a known thread's. */
  private readPosition(
    streamId: string,
  ): { lastReadSeq: number; unread: number; clearCounts: () => void } | null {
    const channel = this.channels.find(streamId);
    if (channel) return { ...channel, clearCounts: () => this.channels.clearCounts(channel) };
    const thread = this.threads.find(streamId);
    if (!thread) return null;
    return {
      ...thread,
      clearCounts: () =>
        this.threads.applyReadState({
          channelId: streamId,
          lastReadSeq: thread.lastReadSeq,
          lastReadMessageId: null,
          unreadCount: 0,
          mentionCount: 0,
        }),
    };
  }

  private async sendMarkRead(channelId: string, messageId: string): Promise<void> {
    const state = await this.session.request('channels.markRead', { channelId, messageId });
    this.channels.applyReadState(state);
    this.threads.applyReadState(state);
  }

  /** One attempt at an outbox entry: stored, refused for good (failed), or to wait for the connection. */
  private async deliver({ channelId, clientId, content }: OutboxEntry): Promise<OutboxDelivery> {
    const timeline = this.timeline(channelId);
    timeline.setWaiting(clientId, false);
    try {
      const message = await this.session.request('messages.send', { channelId, clientId, content });
      timeline.upsert(message);
      this.channels.noteOwnMessage(message);
      return 'done';
    } catch (error) {
      if (this.mustWait(error)) {
        // This one and every one behind it wait for the next login.
        for (const waiting of this.outbox.entries())
          this.timeline(waiting.channelId).setWaiting(waiting.clientId, true);
        return 'wait';
      }
      // Keep when sending is allowed again, so the composer can count down to it.
      const retryAfter =
        error instanceof RequestFailed && error.code === 'rate_limited'
          ? error.details?.['retryAfterMs']
          : null;
      const retryAt = typeof retryAfter === 'number' ? this.session.now() + retryAfter : undefined;
      timeline.setState(clientId, 'failed', describeFailure(error), retryAt);
      return 'done';
    }
  }

  /** The server did not decide: the connection was gone, or went while the send was on its way. */
  private mustWait(error: unknown): boolean {
    if (!(error instanceof RequestFailed)) return false;
    if (WAIT_FOR_CONNECTION.has(error.code)) return true;
    return error.code === 'timeout' && this.session.status().kind !== 'online';
  }

  /**
   * What the cached timelines missed while away. Counts come from the channel list just read, so
   * what the catch-up adds is not counted again.
   */
  private async catchUpAfterLogin(): Promise<void> {
    const visible = new Set(this.channels.channels().map((c) => c.id));
    for (const timeline of this.timelines.values()) {
      if (!timeline.loaded()) continue;
      if (!visible.has(timeline.channelId)) {
        timeline.reset();
        continue;
      }
      this.countingUnread = false;
      try {
        await this.catchUps.request(timeline);
      } catch {
        timeline.reset();
      } finally {
        this.countingUnread = true;
      }
    }
  }

  /** A change number from a push: a gap behind it means changes were missed, which are fetched. */
  private noteRev(channelId: string, rev: number): void {
    const timeline = this.timeline(channelId);
    if (!timeline.loaded() || timeline.noteRev(rev) !== 'gap') return;
    this.catchUps.request(timeline).catch(() => timeline.reset());
  }

  /**
   * A stored message from a push or a catch-up: new ones are added (and counted as unread), a
   * newer version of a cached one replaces it. A change to a message that is not cached is only
   * counted: caching it would make it a history cursor (the first page would start before it,
   * older pages would skip what lies between).
   */
  private applyMessage(message: MessageDto): void {
    const timeline = this.timeline(message.channelId);
    const before = timeline.findById(message.id);
    if (before) {
      timeline.upsert(message);
      this.channels.adjustUnread(
        message.channelId,
        message.seq,
        message.author,
        before.mentions,
        message.mentions,
        0,
      );
      return;
    }
    if (timeline.loaded() && timeline.beyondNewest(message.seq)) {
      // The cache is a window before it (a jump): not cached, but new all the same.
      if (message.editedAt !== null) return;
    } else if (timeline.loaded()) {
      if (!timeline.covers(message.seq) || !timeline.upsert(message)) return;
    } else if (message.editedAt !== null) {
      return; // an edit of a message this client never held: nothing to count
    }
    // A thread's messages are counted by ThreadsState (for the threads the member follows).
    if (!this.countingUnread || threadIdOf(message.channelId) !== null) return;
    if (message.author === this.session.publicKey) this.channels.noteOwnMessage(message);
    else this.channels.countIncoming(message);
  }

  private applyDeleted(deleted: MessageDeletedDto): void {
    const timeline = this.timeline(deleted.channelId);
    const before = timeline.findById(deleted.messageId);
    if (!before || before.rev > deleted.rev) return;
    timeline.remove(deleted.messageId);
    this.channels.adjustUnread(deleted.channelId, deleted.seq, before.author, before.mentions, [], -1);
  }
}
