import { computed, signal } from '@angular/core';
import type {
  ChannelDto,
  ChannelGroupDto,
  ChannelRightsDto,
  Envelope,
  ErrorCode,
  MemberDto,
  MessageDeletedDto,
  MessageDto,
  ReadStateDto,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  AuditPageDto,
  RoleInfoDto,
  ServerInfoDto,
  TypingDto,
} from '@mpqcht/protocol';
import type { ServerPermission } from '@mpqcht/permissions';
import type { PublicKey } from '@mpqcht/identity';
import { buildLoginAuth, loginAuthCallback, request as sendRequest } from '@mpqcht/protocol-client';
import { ChannelCatchUp } from './channel-catch-up';
import { ChannelTimeline } from './channel-timeline';
import { connectErrorOutcome, loginUnavailableOutcome, type HandshakeOutcome } from './handshake-outcome';
import { ServerUnreachable, type ServerHttp } from './server-http';
import type { ServerSocket, SocketFactory } from './server-socket';

export interface SigningIdentity {
  readonly publicKey: PublicKey;
  readonly signingKey: CryptoKey;
}

export type ConnectionStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online' }
  /** Authorized here, but no display name picked yet. */
  | { readonly kind: 'joining' }
  | { readonly kind: 'reconnecting'; readonly attempt: number }
  /** The server limits logins from this address: the next attempt is at `retryAt` (epoch ms). */
  | { readonly kind: 'rate_limited'; readonly retryAt: number }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'closed' };

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
}

export interface TypingState {
  readonly publicKey: string;
  readonly displayName: string;
  readonly until: number;
}

/** A request's refusal, with the server's stable code. */
export class RequestFailed extends Error {
  constructor(
    readonly code: ErrorCode | 'offline' | 'timeout',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ConnectionDeps {
  readonly http: ServerHttp;
  readonly socketFactory: SocketFactory;
  readonly now: () => number;
}

const REQUEST_TIMEOUT_MS = 10_000;

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
  };
}

/**
 * One mpqcht server as the client sees it: its own Socket.IO manager, its connection status, its
 * channels with unread and mention counts, members and presence, typing, and message caches, all
 * as signals. Pushes update the signals; requests go out as acknowledged emits.
 */
export class ServerConnection {
  readonly status = signal<ConnectionStatus>({ kind: 'closed' });
  readonly info = signal<ServerInfoDto | null>(null);
  readonly self = signal<MemberDto | null>(null);
  readonly groups = signal<readonly ChannelGroupDto[]>([]);
  readonly channels = signal<readonly ChannelState[]>([]);
  readonly members = signal<ReadonlyMap<string, MemberDto>>(new Map());
  readonly typing = signal<ReadonlyMap<string, readonly TypingState[]>>(new Map());
  /** The channel the person is looking at, or null: its new messages are not unread. */
  readonly viewing = signal<string | null>(null);

  /** This member's server permissions, as `session.get` reported them (hides what would be refused). */
  readonly permissions = signal<ReadonlySet<ServerPermission>>(new Set());
  /** The server's roles by id (names, colours, positions) from its info. */
  readonly roles = computed(
    () => new Map<string, RoleInfoDto>((this.info()?.roles ?? []).map((r) => [r.id, r])),
  );

  readonly unreadTotal = computed(() => this.channels().reduce((n, c) => n + c.unread, 0));
  readonly mentionTotal = computed(() => this.channels().reduce((n, c) => n + c.mentions, 0));

  private socket: ServerSocket | null = null;
  private readonly timelines = new Map<string, ChannelTimeline>();
  private readonly catchUps = new ChannelCatchUp({
    since: (channelId, afterRev) => this.request('messages.since', { channelId, afterRev }),
    // applyMessage keeps the cache contiguous itself (ChannelTimeline.covers).
    applyMessage: (_timeline, message) => this.applyMessage(message),
    applyDeleted: (_timeline, deleted) => this.applyDeleted(deleted),
    reload: (channelId) => this.open(channelId),
  });
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  /** Off while a reconnect's catch-up runs: the channel list just read already counts those. */
  private countingUnread = true;
  /** An invite code for the first login (a join link); dropped once a login succeeds, never stored. */
  private invite: string | null = null;

  constructor(
    readonly url: string,
    private readonly identity: SigningIdentity,
    private readonly deps: ConnectionDeps,
  ) {}

  get publicKey(): string {
    return this.identity.publicKey.hex;
  }

  /** Fetches the server's info, checks its origin, and opens the socket (which logs in). */
  async connect(): Promise<void> {
    if (this.socket) return;
    this.status.set({ kind: 'connecting' });
    let info: ServerInfoDto;
    try {
      info = await this.deps.http.serverInfo(this.url);
    } catch (error) {
      this.status.set({ kind: 'refused', code: 'unreachable', message: this.describe(error) });
      return;
    }
    this.info.set(info);
    if (info.origin !== this.url) {
      // Signing for the origin the server names while talking to another address would let a
      // server collect signatures valid elsewhere.
      this.status.set({
        kind: 'refused',
        code: 'origin_mismatch',
        message: `this server says its address is ${info.origin}; add it by that address`,
      });
      return;
    }
    const login = async () =>
      buildLoginAuth({
        signer: { privateKey: this.identity.signingKey, publicKey: this.identity.publicKey },
        origin: this.url,
        challenge: await this.deps.http.challenge(this.url),
        invite: this.invite,
      });
    const socket = this.deps.socketFactory(
      this.url,
      loginAuthCallback(login, (error) => {
        // Not if the socket was closed meanwhile (logout, server removed).
        if (this.socket !== socket) return;
        // The handshake waits for an auth that will not come: end this attempt, then follow the outcome.
        socket.disconnect();
        this.afterFailedLogin(socket, loginUnavailableOutcome(error));
      }),
    );
    this.socket = socket;
    this.listen(socket);
  }

  /** Closes the socket for good (logout, server removed). */
  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.status.set({ kind: 'closed' });
  }

  /** Sends `code` with the next logins until one succeeds (docs/protocol.md, Invites). */
  useInvite(code: string): void {
    this.invite = code;
  }

  /** Tries again after a refusal (e.g. once an admin authorized the key). */
  async reconnect(): Promise<void> {
    this.close();
    await this.connect();
  }

  timeline(channelId: string): ChannelTimeline {
    let timeline = this.timelines.get(channelId);
    if (!timeline) {
      timeline = new ChannelTimeline(channelId);
      this.timelines.set(channelId, timeline);
    }
    return timeline;
  }

  can(permission: ServerPermission): boolean {
    return this.permissions().has(permission);
  }

  /** A member's known roles, highest position first (unknown role ids are left out). */
  memberRoles(publicKey: string): RoleInfoDto[] {
    const roles = this.roles();
    return (this.members().get(publicKey)?.roles ?? [])
      .map((id) => roles.get(id))
      .filter((r): r is RoleInfoDto => r !== undefined)
      .sort((a, b) => b.position - a.position);
  }

  /** The colour of the member's highest-positioned role that has one, or null. */
  memberColor(publicKey: string): string | null {
    return this.memberRoles(publicKey).find((r) => r.color !== null)?.color ?? null;
  }

  /** Replaces a member's roles (`members.setRoles`) and shows the result at once. */
  async setRoles(publicKey: string, roles: readonly string[]): Promise<void> {
    const result = await this.request('members.setRoles', { publicKey, roles: [...roles] });
    const member = this.members().get(publicKey);
    if (member) this.setMember({ ...member, roles: result.roles });
  }

  async kick(publicKey: string, reason?: string): Promise<void> {
    await this.request('members.kick', reason ? { publicKey, reason } : { publicKey });
  }

  async ban(publicKey: string, reason: string): Promise<void> {
    await this.request('members.ban', { publicKey, reason });
  }

  /** One page of the audit log, newest first; `before` is the last entry id already shown. */
  auditPage(before?: string): Promise<AuditPageDto> {
    return this.request('audit.list', before ? { before } : {});
  }

  memberName(publicKey: string): string {
    return this.members().get(publicKey)?.displayName ?? `${publicKey.slice(0, 10)}…`;
  }

  async join(displayName: string): Promise<void> {
    const member = await this.request('member.join', { displayName });
    this.self.set(member);
    // Server permissions follow from being root and the roles. session.get before the join
    // answered for a key without roles, so only roles the join brought need it asked again.
    if (member.roles.length > 0 && !member.isRoot) await this.refreshSession();
    await this.loadAfterLogin();
  }

  /** Loads the newest page of a channel the first time it is opened. */
  async open(channelId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    if (timeline.loaded() || timeline.loadingBefore()) return;
    await this.loadOlder(channelId);
  }

  async loadOlder(channelId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    if (timeline.loadingBefore() || (timeline.loaded() && !timeline.hasMoreBefore())) return;
    timeline.loadingBefore.set(true);
    try {
      const before = timeline.oldestSent()?.id ?? undefined;
      const page = await this.request('messages.history', before ? { channelId, before } : { channelId });
      if (!timeline.loaded()) {
        // Complete up to the newest change the page or the channel list shows; if pushes the page
        // missed came after, the next push reveals the gap and `messages.since` fills it.
        const listed = this.channels().find((c) => c.id === channelId)?.lastRev ?? 0;
        timeline.rev = Math.max(listed, ...page.messages.map((m) => m.rev));
      }
      timeline.addPage(page.messages);
      timeline.hasMoreBefore.set(page.hasMore);
      timeline.loaded.set(true);
    } finally {
      timeline.loadingBefore.set(false);
    }
  }

  /** Optimistic send: the message shows at once as pending; the ack replaces it. */
  async send(channelId: string, content: string): Promise<void> {
    const clientId = crypto.randomUUID();
    this.timeline(channelId).addPending({ clientId, author: this.publicKey, content });
    await this.deliver(channelId, clientId);
  }

  /** Sends a failed message again with the same client id, so it is stored at most once. */
  async retry(channelId: string, clientId: string): Promise<void> {
    this.timeline(channelId).setState(clientId, 'pending');
    await this.deliver(channelId, clientId);
  }

  async edit(messageId: string, content: string): Promise<void> {
    const message = await this.request('messages.edit', { messageId, content });
    this.timeline(message.channelId).upsert(message);
  }

  async remove(channelId: string, messageId: string): Promise<void> {
    await this.request('messages.delete', { messageId });
    this.timeline(channelId).remove(messageId);
  }

  /** Marks everything up to the newest cached message of the channel as read. */
  async markRead(channelId: string): Promise<void> {
    const newest = this.timeline(channelId).newestSent();
    const channel = this.channels().find((c) => c.id === channelId);
    if (!newest?.id || !channel || newest.seq <= channel.lastReadSeq) {
      if (channel && channel.unread > 0 && !newest) {
        this.applyReadState({ ...this.readStateOf(channel), unreadCount: 0, mentionCount: 0 });
      }
      return;
    }
    const state = await this.request('channels.markRead', { channelId, messageId: newest.id });
    this.applyReadState(state);
  }

  /** Tells the others this member is typing; throttled to one request per 3 seconds. */
  typingInChannel(channelId: string): void {
    if (this.typingTimer || this.status().kind !== 'online') return;
    this.typingTimer = setTimeout(() => (this.typingTimer = null), 3_000);
    this.request('typing.start', { channelId }).catch(() => undefined);
  }

  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseTypes[E]> {
    const socket = this.socket;
    if (!socket?.connected) throw new RequestFailed('offline', 'not connected to this server');
    let envelope: Envelope<ResponseTypes[E]>;
    try {
      envelope = await sendRequest(socket, event, payload, { timeoutMs: REQUEST_TIMEOUT_MS });
    } catch {
      throw new RequestFailed('timeout', 'the server did not answer in time');
    }
    if (!envelope.ok)
      throw new RequestFailed(envelope.error.code, envelope.error.message, envelope.error.details);
    return envelope.data;
  }

  private async deliver(channelId: string, clientId: string): Promise<void> {
    const timeline = this.timeline(channelId);
    const pending = timeline.find(clientId);
    if (!pending) return;
    try {
      const message = await this.request('messages.send', { channelId, clientId, content: pending.content });
      timeline.upsert(message);
      this.noteOwnMessage(message);
    } catch (error) {
      // Keep when sending is allowed again, so the composer can count down to it.
      const retryAfter =
        error instanceof RequestFailed && error.code === 'rate_limited'
          ? error.details?.['retryAfterMs']
          : null;
      const retryAt = typeof retryAfter === 'number' ? this.deps.now() + retryAfter : undefined;
      timeline.setState(clientId, 'failed', this.describe(error), retryAt);
    }
  }

  private listen(socket: ServerSocket): void {
    socket.on('connect', () => {
      // Admitted: the key is a member now, later logins need no invite.
      this.invite = null;
      void this.afterConnect();
    });
    socket.on('connect_error', (error) => this.afterFailedLogin(socket, connectErrorOutcome(error)));
    socket.io.on('reconnect_attempt', (attempt) => this.status.set({ kind: 'reconnecting', attempt }));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      if (this.status().kind !== 'refused') this.status.set({ kind: 'reconnecting', attempt: 0 });
    });
    socket.on('session.ended', (ended) => {
      this.status.set({ kind: 'refused', code: ended.reason, message: ended.message });
      socket.io.reconnection(false);
    });
    socket.on('message.created', (message) => {
      this.applyMessage(message);
      this.noteRev(message.channelId, message.rev);
    });
    socket.on('message.updated', (message) => {
      this.applyMessage(message);
      this.noteRev(message.channelId, message.rev);
    });
    socket.on('message.deleted', (deleted) => {
      this.applyDeleted(deleted);
      this.noteRev(deleted.channelId, deleted.rev);
    });
    // The server is draining for a restart; the transport closes next and the socket reconnects.
    socket.on('server.restarting', () => this.status.set({ kind: 'reconnecting', attempt: 0 }));
    socket.on('readState.updated', (state) => this.applyReadState(state));
    // config.toml changed on the server: its name, theme and limits.
    socket.on('server.updated', (info) => this.info.set(info));
    // The member's rights changed (roles): the channels they can see now, as channels.list says.
    socket.on('channels.changed', (list) => {
      this.groups.set(list.groups);
      this.channels.set(list.channels.map(toChannelState));
      // Roles changed: the server permissions (what the member panel offers) may have too.
      void this.refreshSession();
    });
    socket.on('typing.started', (typing) => this.onTyping(typing));
    socket.on('presence.updated', ({ publicKey, online }) => {
      const member = this.members().get(publicKey);
      if (member) this.setMember({ ...member, online });
    });
    socket.on('member.joined', (member) => this.setMember(member));
    socket.on('member.removed', ({ publicKey }) => {
      const next = new Map(this.members());
      next.delete(publicKey);
      this.members.set(next);
    });
  }

  /** A refusal is shown; a retry is scheduled (socket.io does not retry a refused handshake). */
  private afterFailedLogin(socket: ServerSocket, outcome: HandshakeOutcome): void {
    if (outcome.kind === 'refused') {
      this.status.set({ kind: 'refused', code: outcome.code, message: outcome.message });
      return;
    }
    if (outcome.kind === 'retry') {
      setTimeout(() => {
        // Not if the socket was closed meanwhile (logout, server removed).
        if (this.socket === socket) socket.connect();
      }, outcome.delayMs);
      if (outcome.rateLimited) {
        this.status.set({ kind: 'rate_limited', retryAt: this.deps.now() + outcome.delayMs });
        return;
      }
    }
    this.status.set({ kind: 'reconnecting', attempt: 0 });
  }

  private async afterConnect(): Promise<void> {
    try {
      const session = await this.request('session.get', {});
      this.info.set(session.server);
      this.self.set(session.member);
      this.permissions.set(new Set(session.permissions));
      if (!session.member) {
        this.status.set({ kind: 'joining' });
        return;
      }
      await this.loadAfterLogin();
    } catch (error) {
      this.status.set({ kind: 'refused', code: 'internal_error', message: this.describe(error) });
    }
  }

  private async refreshSession(): Promise<void> {
    try {
      const session = await this.request('session.get', {});
      this.permissions.set(new Set(session.permissions));
      if (session.member) this.setMember(session.member);
    } catch {
      // Offline or refused: the next connect asks again.
    }
  }

  /** After a (re)connect: channels with read state, members, and what the open timelines missed. */
  private async loadAfterLogin(): Promise<void> {
    const [channels, members] = await Promise.all([
      this.request('channels.list', {}),
      this.request('members.list', {}),
    ]);
    this.groups.set(channels.groups);
    this.channels.set(channels.channels.map(toChannelState));
    this.members.set(new Map(members.map((m) => [m.publicKey, m])));
    this.status.set({ kind: 'online' });
    // What the cached timelines missed while away. Counts come from the list just read, so what
    // the catch-up adds is not counted again.
    const visible = new Set(channels.channels.map((c) => c.id));
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
      this.adjustUnread(message.channelId, message.seq, message.author, before.mentions, message.mentions, 0);
      return;
    }
    if (timeline.loaded()) {
      if (!timeline.covers(message.seq) || !timeline.upsert(message)) return;
    } else if (message.editedAt !== null) {
      return; // an edit of a message this client never held: nothing to count
    }
    if (!this.countingUnread) return;
    if (message.author === this.publicKey) {
      this.noteOwnMessage(message);
      return;
    }
    this.clearTyping(message.channelId, message.author);
    const mentioned = message.mentions.includes(this.publicKey);
    this.channels.update((channels) =>
      channels.map((c) => {
        if (c.id !== message.channelId) return c;
        const lastSeq = Math.max(c.lastSeq, message.seq);
        if (this.viewing() === c.id) return { ...c, lastSeq };
        return { ...c, lastSeq, unread: c.unread + 1, mentions: c.mentions + (mentioned ? 1 : 0) };
      }),
    );
  }

  /**
   * Keeps counts right when an unread message changes: an edit can add or drop a mention of this
   * member, a delete removes one unread message. Read messages and own messages do not count.
   */
  private adjustUnread(
    channelId: string,
    seq: number,
    author: string,
    mentionsBefore: readonly string[],
    mentionsAfter: readonly string[],
    unreadDelta: 0 | -1,
  ): void {
    if (author === this.publicKey) return;
    const mentionDelta =
      Number(mentionsAfter.includes(this.publicKey)) - Number(mentionsBefore.includes(this.publicKey));
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

  private applyDeleted(deleted: MessageDeletedDto): void {
    const timeline = this.timeline(deleted.channelId);
    const before = timeline.findById(deleted.messageId);
    if (!before || before.rev > deleted.rev) return;
    timeline.remove(deleted.messageId);
    this.adjustUnread(deleted.channelId, deleted.seq, before.author, before.mentions, [], -1);
  }

  private noteOwnMessage(message: MessageDto): void {
    this.channels.update((channels) =>
      channels.map((c) =>
        c.id === message.channelId ? { ...c, lastSeq: Math.max(c.lastSeq, message.seq) } : c,
      ),
    );
  }

  private readStateOf(channel: ChannelState): ReadStateDto {
    return {
      channelId: channel.id,
      lastReadSeq: channel.lastReadSeq,
      lastReadMessageId: channel.lastReadMessageId,
      unreadCount: channel.unread,
      mentionCount: channel.mentions,
    };
  }

  private applyReadState(state: ReadStateDto): void {
    this.channels.update((channels) =>
      channels.map((c) =>
        c.id === state.channelId
          ? {
              ...c,
              lastReadSeq: state.lastReadSeq,
              lastReadMessageId: state.lastReadMessageId,
              unread: state.unreadCount,
              mentions: state.mentionCount,
            }
          : c,
      ),
    );
  }

  private onTyping(typing: TypingDto): void {
    const until = this.deps.now() + typing.expiresInMs;
    const next = new Map(this.typing());
    const others = (next.get(typing.channelId) ?? []).filter((t) => t.publicKey !== typing.publicKey);
    next.set(typing.channelId, [
      ...others,
      { publicKey: typing.publicKey, displayName: typing.displayName, until },
    ]);
    this.typing.set(next);
    setTimeout(() => this.expireTyping(), typing.expiresInMs + 50);
  }

  private expireTyping(): void {
    const now = this.deps.now();
    const next = new Map<string, readonly TypingState[]>();
    for (const [channelId, entries] of this.typing()) {
      const live = entries.filter((t) => t.until > now);
      if (live.length > 0) next.set(channelId, live);
    }
    this.typing.set(next);
  }

  private clearTyping(channelId: string, publicKey: string): void {
    const entries = this.typing().get(channelId);
    if (!entries?.some((t) => t.publicKey === publicKey)) return;
    const next = new Map(this.typing());
    next.set(
      channelId,
      entries.filter((t) => t.publicKey !== publicKey),
    );
    this.typing.set(next);
  }

  private setMember(member: MemberDto): void {
    const next = new Map(this.members());
    next.set(member.publicKey, member);
    this.members.set(next);
    if (member.publicKey === this.publicKey) this.self.set(member);
  }

  private describe(error: unknown): string {
    if (error instanceof RequestFailed || error instanceof ServerUnreachable) return error.message;
    return error instanceof Error ? error.message : String(error);
  }
}
