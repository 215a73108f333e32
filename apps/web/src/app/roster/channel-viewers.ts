import { inject, Injectable, signal } from '@angular/core';

import { ServerSession } from '../connection/server-session';

/** How long an answer is trusted: others' role changes are not pushed, so it is asked again after this. */
const FRESH_MS = 60_000;

interface Viewers {
  readonly publicKeys: ReadonlySet<string>;
  readonly at: number;
}

/**
 * Who can view each channel (`channels.viewers`): the members a mention there reaches, which the
 * composer offers when `@` is typed. Asked for per channel when first needed, kept for a minute, and
 * forgotten when anything that decides it may have changed (a member joined or left, config.toml
 * changed, this member's roles changed, a new login).
 */
@Injectable()
export class ChannelViewers {
  private readonly session = inject(ServerSession);
  private readonly viewers = signal<ReadonlyMap<string, Viewers>>(new Map());
  private readonly loading = new Set<string>();
  /** Bumped when everything is forgotten: an answer to an older question is dropped. */
  private generation = 0;

  constructor() {
    const forget = () => {
      this.generation++;
      this.loading.clear();
      this.viewers.set(new Map());
    };
    this.session.onLogin(() => {
      forget();
      return Promise.resolve();
    });
    this.session.on('member.joined', forget);
    this.session.on('member.removed', forget);
    this.session.on('server.updated', forget);
    this.session.on('channels.changed', forget);
  }

  /** The public keys of the members who can view the channel; null until the server said. */
  of(channelId: string): ReadonlySet<string> | null {
    return this.viewers().get(channelId)?.publicKeys ?? null;
  }

  /** Asks the server who can view the channel, unless a fresh answer is held or a question is out. */
  load(channelId: string): void {
    const held = this.viewers().get(channelId);
    if (this.loading.has(channelId) || (held && this.session.now() - held.at < FRESH_MS)) return;
    const generation = this.generation;
    this.loading.add(channelId);
    this.session
      .request('channels.viewers', { channelId })
      .then(({ publicKeys }) => {
        if (generation !== this.generation) return;
        const next = new Map(this.viewers());
        next.set(channelId, { publicKeys: new Set(publicKeys), at: this.session.now() });
        this.viewers.set(next);
      })
      // Offline or refused: the composer offers every member it knows meanwhile.
      .catch(() => undefined)
      .finally(() => {
        if (generation === this.generation) this.loading.delete(channelId);
      });
  }
}
