import { inject, Injectable, signal } from '@angular/core';

import type { TypingDto } from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';

export interface Typist {
  readonly publicKey: string;
  readonly displayName: string;
  readonly until: number;
}

/** Who is typing in which channel of one server, and this member's own typing notices. */
@Injectable()
export class TypingState {
  private readonly session = inject(ServerSession);
  readonly typing = signal<ReadonlyMap<string, readonly Typist[]>>(new Map());
  private throttle: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.session.on('typing.started', (typing) => this.onTyping(typing));
    // A message from a typist ends their typing there.
    this.session.on('message.created', (message) => this.clear(message.channelId, message.author));
  }

  /** Tells the others this member is typing; throttled to one request per 3 seconds. */
  typingIn(channelId: string): void {
    if (this.throttle || this.session.status().kind !== 'online') return;
    this.throttle = setTimeout(() => (this.throttle = null), 3_000);
    this.session.request('typing.start', { channelId }).catch(() => undefined);
  }

  private onTyping(typing: TypingDto): void {
    const until = this.session.now() + typing.expiresInMs;
    const next = new Map(this.typing());
    const others = (next.get(typing.channelId) ?? []).filter((t) => t.publicKey !== typing.publicKey);
    next.set(typing.channelId, [
      ...others,
      { publicKey: typing.publicKey, displayName: typing.displayName, until },
    ]);
    this.typing.set(next);
    setTimeout(() => this.expire(), typing.expiresInMs + 50);
  }

  private expire(): void {
    const now = this.session.now();
    const next = new Map<string, readonly Typist[]>();
    for (const [channelId, entries] of this.typing()) {
      const live = entries.filter((t) => t.until > now);
      if (live.length > 0) next.set(channelId, live);
    }
    this.typing.set(next);
  }

  private clear(channelId: string, publicKey: string): void {
    const entries = this.typing().get(channelId);
    if (!entries?.some((t) => t.publicKey === publicKey)) return;
    const next = new Map(this.typing());
    next.set(
      channelId,
      entries.filter((t) => t.publicKey !== publicKey),
    );
    this.typing.set(next);
  }
}
