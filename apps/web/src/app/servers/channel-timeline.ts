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
  readonly author: string;
  readonly content: string;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly mentions: readonly string[];
  readonly state: SendState;
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

  constructor(readonly channelId: string) {}

  /** Adds or replaces a stored message (a pending send with its client id becomes it). True if it was new. */
  upsert(dto: MessageDto): boolean {
    const incoming = fromDto(dto);
    let isNew = true;
    const next = this.list().map((m) => {
      if (m.clientId === incoming.clientId || (m.id !== null && m.id === incoming.id)) {
        isNew = m.state !== 'sent';
        return incoming;
      }
      return m;
    });
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

  addPending(message: { clientId: string; author: string; content: string }): void {
    this.list.update((list) => [
      ...list,
      {
        key: message.clientId,
        id: null,
        clientId: message.clientId,
        channelId: this.channelId,
        seq: 0,
        author: message.author,
        content: message.content,
        createdAt: new Date().toISOString(),
        editedAt: null,
        mentions: [],
        state: 'pending',
      },
    ]);
  }

  setState(clientId: string, state: Exclude<SendState, 'sent'>, error?: string, retryAt?: number): void {
    this.list.update((list) =>
      list.map((m) =>
        m.clientId === clientId && m.state !== 'sent'
          ? { ...m, state, ...(error ? { error } : {}), retryAt: retryAt ?? null }
          : m,
      ),
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
