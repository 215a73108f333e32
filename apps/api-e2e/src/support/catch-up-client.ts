import type { CatchUpPageDto, MessageDeletedDto, MessageDto } from '@mpqcht/protocol';

import type { TestIdentity } from './identity';
import { ReconnectingClient, type ServerAddress, type ServerLife } from './reconnecting-client';

/** A message as a receiver holds it: its latest known state. */
export interface HeldMessage {
  readonly id: string;
  readonly seq: number;
  readonly rev: number;
  readonly clientId: string | undefined;
  readonly author: string | undefined;
  readonly content: string;
  readonly deleted: boolean;
}

interface ChannelState {
  /** Every change up to this rev is reflected in `messages`. */
  held: number;
  readonly messages: Map<string, HeldMessage>;
  /** How often each message was applied as new (1 for every message, or something went wrong). */
  readonly created: Map<string, number>;
  /** Message id by seq, and by author and client id, to spot one message held under two ids. */
  readonly bySeq: Map<number, string>;
  readonly byClient: Map<string, string>;
  running: boolean;
}

export interface ReceiverStats {
  /** Pushes applied because they were the next change. */
  applied: number;
  /** Pushes dropped because the receiver already held their change (pushed after a catch-up read it). */
  dropped: number;
  /** Pushes that revealed a gap (rev > held + 1) and started a catch-up. */
  gaps: number;
  /** `messages.since` pages read. */
  pages: number;
  /** Changes applied from catch-up pages. */
  caughtUp: number;
}

type Change =
  | { readonly rev: number; readonly message: MessageDto }
  | { readonly rev: number; readonly deleted: MessageDeletedDto };

/**
 * The receiving half of the delivery protocol (docs/protocol.md, `messages.since`), as a client
 * should do it: per channel it holds every change up to `held`; a push with `rev = held + 1` is
 * applied, one at or below `held` is a duplicate and dropped, one beyond `held + 1` reveals a gap
 * and starts a catch-up from `held`. At every (re)connect it catches up every channel until
 * `hasMore` is false. Everything that contradicts the protocol is collected in `anomalies`, for the
 * test to assert that there are none.
 */
export class CatchUpReceiver {
  readonly client: ReconnectingClient;
  readonly anomalies: string[] = [];
  readonly stats: ReceiverStats = { applied: 0, dropped: 0, gaps: 0, pages: 0, caughtUp: 0 };
  private readonly channels = new Map<string, ChannelState>();
  private readonly changeListeners = new Set<() => void>();
  /** Channels whose running catch-up must read once more when it is done (a gap, a reconnect). */
  private readonly again = new Set<string>();

  constructor(
    readonly name: string,
    address: ServerAddress,
    identity: TestIdentity,
    life: ServerLife,
    channelIds: readonly string[],
    private readonly pageSize = 200,
  ) {
    for (const channelId of channelIds) {
      this.channels.set(channelId, {
        held: 0,
        messages: new Map(),
        created: new Map(),
        bySeq: new Map(),
        byClient: new Map(),
        running: false,
      });
    }
    this.client = new ReconnectingClient(address, identity, life);
    const socket = this.client.socket;
    socket.on('message.created', (m) => {
      this.onPush(m.channelId, m.rev, () => {
        this.applyMessage(m.channelId, m, 'created');
      });
    });
    socket.on('message.updated', (m) => {
      this.onPush(m.channelId, m.rev, () => {
        this.applyMessage(m.channelId, m, 'updated');
      });
    });
    socket.on('message.deleted', (d) => {
      this.onPush(d.channelId, d.rev, () => {
        this.applyDeleted(d.channelId, d, 'pushed');
      });
    });
    this.client.onConnect(() => {
      for (const channelId of this.channels.keys()) void this.catchUp(channelId);
    });
  }

  start(): this {
    this.client.start();
    return this;
  }

  close(): void {
    this.client.close();
  }

  /** The highest rev up to which the receiver holds every change of the channel. */
  held(channelId: string): number {
    return this.state(channelId).held;
  }

  /** What the receiver holds of a channel, in seq order. */
  messages(channelId: string): HeldMessage[] {
    return [...this.state(channelId).messages.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Messages the receiver applied as new more than once (by id): should be empty. */
  appliedTwice(channelId: string): string[] {
    return [...this.state(channelId).created].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /**
   * Resolves once the receiver holds every channel up to the given revs (the database's heads).
   * It gets there on its own, from pushes and catch-ups; rejects after `timeoutMs` with what it holds.
   */
  reach(heads: ReadonlyMap<string, number>, timeoutMs = 15_000): Promise<void> {
    const done = () => [...heads].every(([channelId, head]) => this.held(channelId) >= head);
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.changeListeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changeListeners.delete(listener);
        const held = [...heads].map(([c, head]) => `${c}: holds ${this.held(c)} of ${head}`).join(', ');
        reject(new Error(`${this.name} did not catch up within ${timeoutMs} ms (${held})`));
      }, timeoutMs);
      this.changeListeners.add(listener);
    });
  }

  private state(channelId: string): ChannelState {
    const state = this.channels.get(channelId);
    if (!state) throw new Error(`${this.name} does not follow ${channelId}`);
    return state;
  }

  private onPush(channelId: string, rev: number, apply: () => void): void {
    const ch = this.channels.get(channelId);
    if (!ch) return;
    if (rev <= ch.held) {
      this.stats.dropped += 1;
      return;
    }
    if (rev > ch.held + 1) {
      this.stats.gaps += 1;
      void this.catchUp(channelId);
      return;
    }
    apply();
    ch.held = rev;
    this.stats.applied += 1;
    this.changed();
  }

  /**
   * Reads `messages.since` from `held` until `hasMore` is false. One catch-up per channel at a
   * time; a gap found meanwhile makes it read once more. When the connection ends midway, the next
   * connect starts a new one.
   */
  private async catchUp(channelId: string): Promise<void> {
    const ch = this.state(channelId);
    if (ch.running) {
      this.again.add(channelId);
      return;
    }
    ch.running = true;
    let lost = false;
    try {
      do {
        this.again.delete(channelId);
        for (;;) {
          const afterRev = ch.held;
          const answer = await this.client.request('messages.since', {
            channelId,
            afterRev,
            limit: this.pageSize,
          });
          if (answer.kind === 'lost') {
            lost = true;
            return;
          }
          if (answer.kind === 'error') {
            // Draining for a restart: the connection closes next, and the next connect catches up.
            if (answer.code !== 'server_restarting') {
              this.anomalies.push(`messages.since ${channelId} after ${afterRev}: ${answer.code}`);
            }
            this.again.delete(channelId);
            return;
          }
          this.stats.pages += 1;
          this.applyPage(channelId, afterRev, answer.data);
          if (!answer.data.hasMore) break;
        }
      } while (this.again.has(channelId));
    } finally {
      ch.running = false;
      // Lost on a connection that is gone: the next connect catches up. Still connected (a
      // timeout, or a connect while the lost request was out): read again now.
      if (lost && this.client.connected) void this.catchUp(channelId);
    }
  }

  private applyPage(channelId: string, afterRev: number, page: CatchUpPageDto): void {
    const ch = this.state(channelId);
    const where = `${this.name}: messages.since ${channelId} after ${afterRev}`;
    const changes: Change[] = [
      ...page.messages.map((message) => ({ rev: message.rev, message })),
      ...page.deleted.map((deleted) => ({ rev: deleted.rev, deleted })),
    ];
    changes.sort((a, b) => a.rev - b.rev);
    const inOrder = (revs: number[]) => revs.every((rev, i) => i === 0 || rev > (revs[i - 1] ?? 0));
    if (!inOrder(page.messages.map((m) => m.rev)) || !inOrder(page.deleted.map((d) => d.rev))) {
      this.anomalies.push(`${where}: not in rev order`);
    }
    const ids = changes.map((c) => ('message' in c ? c.message.id : c.deleted.messageId));
    if (new Set(ids).size !== ids.length) this.anomalies.push(`${where}: a message appears twice`);
    if (changes.some((c) => c.rev <= afterRev || c.rev > page.rev)) {
      this.anomalies.push(`${where}: a change outside (${afterRev}, ${page.rev}]`);
    }
    if (page.hasMore && changes.at(-1)?.rev !== page.rev) {
      this.anomalies.push(`${where}: hasMore, but rev ${page.rev} is not the page's last change`);
    }
    if (page.rev < afterRev) this.anomalies.push(`${where}: rev went back to ${page.rev}`);
    for (const change of changes) {
      if (change.rev <= ch.held) continue; // a push brought it (or a later state) meanwhile
      if ('message' in change) this.applyMessage(channelId, change.message, 'caught-up');
      else this.applyDeleted(channelId, change.deleted, 'caught-up');
      this.stats.caughtUp += 1;
    }
    ch.held = Math.max(ch.held, page.rev);
    this.changed();
  }

  private applyMessage(channelId: string, m: MessageDto, how: 'created' | 'updated' | 'caught-up'): void {
    const ch = this.state(channelId);
    const existing = ch.messages.get(m.id);
    const where = `${this.name}: ${how} ${m.id} (seq ${m.seq}, rev ${m.rev}) in ${channelId}`;
    if (m.channelId !== channelId) this.anomalies.push(`${where}: from channel ${m.channelId}`);
    if (existing?.deleted) this.anomalies.push(`${where}: the message was deleted`);
    if (existing && existing.seq !== m.seq) this.anomalies.push(`${where}: its seq was ${existing.seq}`);
    if (how === 'updated' && !existing) this.anomalies.push(`${where}: an edit of a message never received`);
    if (!existing) this.noteNew(ch, where, m.id, m.seq, m.author, m.clientId);
    else if (how === 'created') {
      // The same message announced as new a second time, with a later rev: applied twice.
      ch.created.set(m.id, (ch.created.get(m.id) ?? 0) + 1);
    }
    ch.messages.set(m.id, {
      id: m.id,
      seq: m.seq,
      rev: m.rev,
      clientId: m.clientId,
      author: m.author,
      content: m.content,
      deleted: false,
    });
  }

  private applyDeleted(channelId: string, d: MessageDeletedDto, how: 'pushed' | 'caught-up'): void {
    const ch = this.state(channelId);
    const existing = ch.messages.get(d.messageId);
    const where = `${this.name}: ${how} delete of ${d.messageId} (seq ${d.seq}, rev ${d.rev}) in ${channelId}`;
    if (existing?.deleted) this.anomalies.push(`${where}: deleted twice`);
    if (existing && existing.seq !== d.seq) this.anomalies.push(`${where}: its seq was ${existing.seq}`);
    // A pushed delete is the next change, so its message (created earlier) must be held; a
    // catch-up may bring the deletion of a message created and deleted while away.
    if (!existing && how === 'pushed') this.anomalies.push(`${where}: a delete of a message never received`);
    if (!existing) this.noteNew(ch, where, d.messageId, d.seq, undefined, undefined);
    ch.messages.set(d.messageId, {
      id: d.messageId,
      seq: d.seq,
      rev: d.rev,
      clientId: existing?.clientId,
      author: existing?.author,
      content: '',
      deleted: true,
    });
  }

  private noteNew(
    ch: ChannelState,
    where: string,
    id: string,
    seq: number,
    author: string | undefined,
    clientId: string | undefined,
  ): void {
    ch.created.set(id, (ch.created.get(id) ?? 0) + 1);
    const sameSeq = ch.bySeq.get(seq);
    if (sameSeq !== undefined) this.anomalies.push(`${where}: seq ${seq} is already ${sameSeq}`);
    ch.bySeq.set(seq, id);
    if (clientId === undefined || author === undefined) return;
    const key = `${author}/${clientId}`;
    const sameClient = ch.byClient.get(key);
    if (sameClient !== undefined)
      this.anomalies.push(`${where}: client id ${clientId} is already ${sameClient}`);
    ch.byClient.set(key, id);
  }

  private changed(): void {
    this.changeListeners.forEach((listener) => {
      listener();
    });
  }
}
