import { computed, signal } from '@angular/core';

import type { MessageDto } from '@mpqcht/protocol';

export type SendState = 'sent' | 'pending' | 'failed';

/** A message as the client shows it: stored ones and its own optimistic sends. */
export interface TimelineMessage {
  /** The client id: stable from the optimistic send to the stored message, so views keep their rows. */
  readonly key: string;
  /** null until the server stored it. */
  readonly id: string | null;
  readonly clientId: string;
  readonly channelId: string;
  /** 0 until the server stored it. */
  readonly seq: number;
  /** The channel's change number of this message's latest change; 0 until stored. */
  readonly rev: number;
  readonly author: string;
  readonly content: string;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly mentions: readonly string[];
  readonly state: SendState;
  /** A pending send kept in the outbox until the connection is back (not being sent right now). */
  readonly waiting?: boolean;
  /** Why a send failed, for people. */
  readonly error?: string;
  /** A send refused with `rate_limited`: when (epoch ms) sending is allowed again. */
  readonly retryAt?: number | null;
}

function fromDto(dto: MessageDto): TimelineMessage {
  return {
    key: dto.clientId,
    id: dto.id,
    clientId: dto.clientId,
    channelId: dto.channelId,
    seq: dto.seq,
    rev: dto.rev,
    author: dto.author,
    content: dto.content,
    createdAt: dto.createdAt,
    editedAt: dto.editedAt,
    mentions: dto.mentions,
    state: 'sent',
  };
}

/** Stored messages ordered by seq, then pending and failed sends in the order they were made. */
function ordered(messages: TimelineMessage[]): TimelineMessage[] {
  const sent = messages.filter((m) => m.state === 'sent').sort((a, b) => a.seq - b.seq);
  return [...sent, ...messages.filter((m) => m.state !== 'sent')];
}

/** The cached messages of one channel, as signals. */
export class ChannelTimeline {
  private readonly list = signal<readonly TimelineMessage[]>([]);
  readonly messages = this.list.asReadonly();
  readonly hasMoreBefore = signal(true);
  readonly loadingBefore = signal(false);
  /**
   * Newer messages exist past the newest cached one: the cache holds a window opened around a
   * message (`messages.around`, a jump from a search result) and does not reach the present.
   */
  readonly hasMoreAfter = signal(false);
  readonly loadingAfter = signal(false);
  /** The newest page has been fetched once; until then the view shows a loading state. */
  readonly loaded = signal(false);
  readonly newestSent = computed(() => {
    const messages = this.list();
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i];
      if (message?.state === 'sent') return message;
    }
    return null;
  });
  readonly oldestSent = computed(() => this.list().find((m) => m.state === 'sent') ?? null);

  /**
   * The channel's change number up to which this cache is complete: every send, edit and delete
   * with a number at most this one is reflected (for the messages cached). Pushes with the next
   * number advance it; a push further ahead means some were missed (`messages.since` fills in).
   */
  rev = 0;

  constructor(readonly channelId: string) {}

  /**
   * Notes a change number seen in a push: `next` if it was the one expected, `gap` if some before
   * it are missing, `known` if the cache already covers it.
   */
  noteRev(rev: number): 'next' | 'gap' | 'known' {
    if (rev <= this.rev) return 'known';
    if (rev === this.rev + 1) {
      this.rev = rev;
      return 'next';
    }
    return 'gap';
  }

  /**
   * Whether a stored message that is not cached may be added: only where the cache is contiguous,
   * i.e. newer than its oldest message, or anywhere when the channel's start is cached (otherwise
   * an old one would become the cursor of the next older page and hide what lies between).
   */
  covers(seq: number): boolean {
    const oldest = this.oldestSent();
    return (!this.hasMoreBefore() || oldest === null || seq > oldest.seq) && !this.beyondNewest(seq);
  }

  /**
   * A message newer than the newest cached one while the cache does not reach the present: it
   * belongs after a gap, so it is not cached (paging newer reaches it).
   */
  beyondNewest(seq: number): boolean {
    const newest = this.newestSent();
    return this.hasMoreAfter() && newest !== null && seq > newest.seq;
  }

  /** Empties the cache (the next `open` loads the newest page again). */
  reset(): void {
    this.list.update((list) => list.filter((m) => m.state !== 'sent'));
    this.hasMoreBefore.set(true);
    this.hasMoreAfter.set(false);
    this.loaded.set(false);
    this.rev = 0;
  }

  /**
   * Replaces the cached messages with a window of the channel (a page around a message): what
   * lies before and after it is fetched by paging. Unsent messages stay.
   */
  replaceWith(page: readonly MessageDto[], hasBefore: boolean, hasAfter: boolean): void {
    this.list.update((list) => ordered([...page.map(fromDto), ...list.filter((m) => m.state !== 'sent')]));
    this.hasMoreBefore.set(hasBefore);
    this.hasMoreAfter.set(hasAfter);
    this.loaded.set(true);
  }

  /** Appends a newer page (oldest first) without duplicating what is cached. */
  addNewerPage(page: readonly MessageDto[], hasMore: boolean): void {
    const known = new Set(this.list().map((m) => m.clientId));
    const newer = page.filter((m) => !known.has(m.clientId)).map(fromDto);
    this.list.set(ordered([...this.list(), ...newer]));
    this.hasMoreAfter.set(hasMore);
  }

  /**
   * Adds or replaces a stored message (a pending send with its client id becomes it); a version
   * older than the cached one (by `rev`) is ignored. True if the message was not shown as stored before.
   */
  upsert(dto: MessageDto): boolean {
    const incoming = fromDto(dto);
    const same = (m: TimelineMessage) =>
      m.clientId === incoming.clientId || (m.id !== null && m.id === incoming.id);
    const existing = this.list().find(same);
    if (existing?.state === 'sent' && existing.rev > incoming.rev) return false;
    const isNew = existing === undefined || existing.state !== 'sent';
    const next = this.list().map((m) => (same(m) ? incoming : m));
    if (!next.some((m) => m.key === incoming.key)) next.push(incoming);
    this.list.set(ordered(next));
    return isNew;
  }

  /** Prepends an older page (oldest first) without duplicating what is cached. */
  addPage(page: readonly MessageDto[]): void {
    const known = new Set(this.list().map((m) => m.clientId));
    const older = page.filter((m) => !known.has(m.clientId)).map(fromDto);
    this.list.set(ordered([...older, ...this.list()]));
  }

  addPending(message: {
    clientId: string;
    author: string;
    content: string;
    createdAt?: string;
    waiting?: boolean;
  }): void {
    if (this.find(message.clientId)) return;
    this.list.update((list) => [
      ...list,
      {
        key: message.clientId,
        id: null,
        clientId: message.clientId,
        channelId: this.channelId,
        seq: 0,
        rev: 0,
        author: message.author,
        content: message.content,
        createdAt: message.createdAt ?? new Date().toISOString(),
        editedAt: null,
        mentions: [],
        state: 'pending',
        waiting: message.waiting ?? false,
      },
    ]);
  }

  setState(clientId: string, state: Exclude<SendState, 'sent'>, error?: string, retryAt?: number): void {
    this.list.update((list) =>
      list.map((m) =>
        m.clientId === clientId && m.state !== 'sent'
          ? { ...m, state, waiting: false, ...(error ? { error } : {}), retryAt: retryAt ?? null }
          : m,
      ),
    );
  }

  /** Marks a pending send as waiting for the connection (true) or being sent (false). */
  setWaiting(clientId: string, waiting: boolean): void {
    this.list.update((list) =>
      list.map((m) => (m.clientId === clientId && m.state === 'pending' ? { ...m, waiting } : m)),
    );
  }

  find(clientId: string): TimelineMessage | undefined {
    return this.list().find((m) => m.clientId === clientId);
  }

  findById(messageId: string): TimelineMessage | undefined {
    return this.list().find((m) => m.id === messageId);
  }

  remove(messageId: string): void {
    this.list.update((list) => list.filter((m) => m.id !== messageId));
  }

  /** Drops a failed send the person gave up on. */
  discard(clientId: string): void {
    this.list.update((list) => list.filter((m) => !(m.clientId === clientId && m.state !== 'sent')));
  }
}
