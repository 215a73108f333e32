import { inject, Injectable, signal } from '@angular/core';

import type { ServerPermission } from '@mpqcht/permissions';
import type {
  ChallengeDto,
  Envelope,
  MemberDto,
  PushEvent,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerInfoDto,
  ServerToClientEvents,
  SessionDto,
} from '@mpqcht/protocol';
import { buildLoginAuth, loginAuthCallback, request as sendRequest } from '@mpqcht/protocol-client';

import { CONNECTION_DEPS, SERVER_URL, SIGNING_IDENTITY } from './connection-deps';
import type { ConnectionStatus } from './connection-status';
import { connectErrorOutcome, type HandshakeOutcome, loginUnavailableOutcome } from './handshake-outcome';
import { LoginChallenges } from './login-challenges';
import { saveLoginPass } from './login-pass.storage';
import { ReconnectPolicy } from './reconnect-policy';
import { describeFailure, RequestFailed } from './request-failed';
import type { ServerSocket } from './server-socket';

const REQUEST_TIMEOUT_MS = 10_000;

type Handler = (...args: never[]) => void;

/** What started an attempt before its time (logged with it). */
export type ReconnectTrigger = 'button' | 'online' | 'visible';

interface RetryOptions {
  /** A wait the server asked for (`retryAfterMs`). */
  readonly atLeastMs?: number;
  readonly rateLimited?: boolean;
  /** Why the server could not be reached, when that is all there is to say. */
  readonly reason?: string;
}

/**
 * The session with one server: its socket and login (a fresh signed challenge per attempt), the
 * connection status, who this member is there and what they may do, and the typed request. The
 * feature states (channels, members, ...) register here what they load after a login, what they
 * catch up after it, and the pushes they follow; the session knows none of them.
 */
@Injectable()
export class ServerSession {
  readonly url = inject(SERVER_URL);
  private readonly identity = inject(SIGNING_IDENTITY);
  private readonly deps = inject(CONNECTION_DEPS);

  readonly status = signal<ConnectionStatus>({ kind: 'closed' });
  readonly info = signal<ServerInfoDto | null>(null);
  readonly self = signal<MemberDto | null>(null);
  /** This member's server permissions, as `session.get` reported them (hides what would be refused). */
  readonly permissions = signal<ReadonlySet<ServerPermission>>(new Set());
  private readonly challenges = new LoginChallenges(this.url, this.identity.publicKey.hex, this.deps);
  /** The proof-of-work this login is solving (the server is under a flood); null otherwise. */
  readonly proofOfWork = this.challenges.proofOfWork;

  private socket: ServerSocket | null = null;
  /** Bumped by close(): what an older connect() was still waiting for is dropped. */
  private generation = 0;
  private readonly policy = new ReconnectPolicy(this.deps.random);
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The attempt waiting for its timer, to start early on "Reconnect now" or when the network returns. */
  private waiting: { readonly attempt: number; readonly run: () => void } | null = null;
  /** An invite code for the first login (a join link); dropped once a login succeeds, never stored. */
  private invite: string | null = null;
  private readonly pushHandlers: (readonly [PushEvent, Handler])[] = [];
  private readonly sessionListeners: ((session: SessionDto) => void)[] = [];
  private readonly loaders: (() => Promise<void>)[] = [];
  private readonly resumers: (() => Promise<void>)[] = [];
  /** The challenge got for the next handshake before its transport opened (open()). */
  private prepared: Promise<ChallengeDto> | null = null;

  constructor() {
    // The newest pass, for the next login of this key here (docs/protocol.md, Proof of work).
    this.onSession((session) => {
      if (this.deps.loginPasses && session.publicKey === this.publicKey) {
        saveLoginPass(this.deps.loginPasses, this.url, this.publicKey, session.loginPass, this.deps.now());
      }
    });
  }

  get publicKey(): string {
    return this.identity.publicKey.hex;
  }

  now(): number {
    return this.deps.now();
  }

  can(permission: ServerPermission): boolean {
    return this.permissions().has(permission);
  }

  /** Follows a push on every socket this session opens. */
  on<E extends PushEvent>(event: E, handler: ServerToClientEvents[E]): void {
    this.pushHandlers.push([event, handler]);
  }

  /** Runs after every `session.get` answer (a login, or the rights changed). */
  onSession(listener: (session: SessionDto) => void): void {
    this.sessionListeners.push(listener);
  }

  /** What a feature loads after each login, in parallel with the others, before the session is online. */
  onLogin(load: () => Promise<void>): void {
    this.loaders.push(load);
  }

  /** What a feature catches up after each login, once every loader is done and the session is online. */
  onResume(resume: () => Promise<void>): void {
    this.resumers.push(resume);
  }

  /** Fetches the server's info, checks its origin, and opens the socket (which logs in). */
  async connect(): Promise<void> {
    if (this.socket || this.status().kind !== 'closed') return;
    this.status.set({ kind: 'connecting' });
    await this.start(this.generation);
  }

  private async start(generation: number): Promise<void> {
    let info: ServerInfoDto;
    try {
      info = await this.deps.http.serverInfo(this.url);
    } catch (error) {
      if (generation !== this.generation) return;
      // Down, restarting, or the network is away: ask again on the policy's schedule.
      this.scheduleRetry(() => void this.start(generation), { reason: describeFailure(error) });
      return;
    }
    if (generation !== this.generation) return;
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
    const login = async () => {
      const prepared = this.prepared;
      this.prepared = null;
      return buildLoginAuth({
        signer: { privateKey: this.identity.signingKey, publicKey: this.identity.publicKey },
        origin: this.url,
        challenge: await (prepared ?? this.challenges.next()),
        invite: this.invite,
      });
    };
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
    void this.open(socket);
  }

  /**
   * Gets the next login's challenge (solving the proof-of-work a flooded server asks for), then
   * opens the transport, whose handshake signs it. Not the other way round: the server closes a
   * transport that has not logged in within its connect timeout (45 s), which a proof at a high
   * effort on a slow device outlasts, and a flooded server should not hold idle transports.
   * Whoever takes `prepared` answers for its outcome: here, or a handshake that started meanwhile.
   */
  private async open(socket: ServerSocket): Promise<void> {
    const prepared = this.challenges.next();
    this.prepared = prepared;
    try {
      await prepared;
    } catch (error) {
      if (this.prepared !== prepared) return;
      this.prepared = null;
      // Not if the socket was closed meanwhile (logout, server removed).
      if (this.socket === socket) this.afterFailedLogin(socket, loginUnavailableOutcome(error));
      return;
    }
    if (this.prepared === prepared && this.socket === socket && !socket.connected) socket.connect();
  }

  /** Closes the socket for good (logout, server removed). */
  close(): void {
    this.generation += 1;
    this.challenges.cancel();
    this.prepared = null;
    this.cancelRetry();
    this.policy.reset();
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.status.set({ kind: 'closed' });
  }

  /** Sends `code` with the next logins until one succeeds (docs/protocol.md, Invites). */
  useInvite(code: string): void {
    this.invite = code;
  }

  /**
   * Starts the attempt that waits for its timer now: the person asked ("Reconnect now"), the
   * network came back, or the tab became visible. Not while the server limits logins from here.
   */
  reconnectNow(trigger: ReconnectTrigger): void {
    const waiting = this.waiting;
    if (!waiting || this.status().kind === 'rate_limited') return;
    console.debug(`mpqcht ${this.url}: reconnect attempt ${waiting.attempt} now (${trigger})`);
    this.runAttempt(waiting.attempt, waiting.run);
  }

  /** Tries again after a refusal (e.g. once an admin authorized the key). */
  async reconnect(): Promise<void> {
    this.close();
    await this.connect();
  }

  async join(displayName: string): Promise<void> {
    const member = await this.request('member.join', { displayName });
    this.self.set(member);
    // Server permissions follow from being root and the roles. session.get before the join
    // answered for a key without roles, so only roles the join brought need it asked again.
    if (member.roles.length > 0 && !member.isRoot) await this.refresh();
    await this.loadAfterLogin();
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

  /** Asks `session.get` again: the member's roles, and so their permissions, changed. */
  async refresh(): Promise<void> {
    try {
      const session = await this.request('session.get', {});
      this.permissions.set(new Set(session.permissions));
      if (session.member) this.self.set(session.member);
      for (const listener of this.sessionListeners) listener(session);
    } catch {
      // Offline or refused: the next connect asks again.
    }
  }

  private listen(socket: ServerSocket): void {
    socket.on('connect', () => {
      // Admitted: the key is a member now, later logins need no invite.
      this.invite = null;
      void this.afterConnect();
    });
    socket.on('connect_error', (error) => this.afterFailedLogin(socket, connectErrorOutcome(error)));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect' || this.status().kind === 'refused') return;
      // A restart, a dropped transport, the network gone: the first attempt comes soon.
      this.scheduleRetry(() => this.reopen(socket));
    });
    socket.on('session.ended', (ended) => {
      this.cancelRetry();
      this.status.set({
        kind: 'refused',
        code: ended.reason,
        message: ended.message,
        ...(ended.note ? { note: ended.note } : {}),
      });
    });
    // The server is draining for a restart; the transport closes next and the socket reconnects.
    socket.on('server.restarting', () => {
      this.policy.restarting();
      this.status.set({ kind: 'reconnecting', attempt: 1, retryAt: null });
    });
    // config.toml changed on the server: its name, theme and limits.
    socket.on('server.updated', (info) => this.info.set(info));
    // The features' pushes. Socket.IO's typed `on` cannot take an event chosen at run time.
    const on = socket.on.bind(socket) as (event: PushEvent, handler: Handler) => void;
    for (const [event, handler] of this.pushHandlers) on(event, handler);
  }

  /** A refusal is shown; anything else is tried again on the policy's schedule. */
  private afterFailedLogin(socket: ServerSocket, outcome: HandshakeOutcome): void {
    // Not if the socket was closed meanwhile (logout, server removed).
    if (this.socket !== socket) return;
    if (outcome.kind === 'refused') {
      this.cancelRetry();
      const { code, message, note } = outcome;
      this.status.set({ kind: 'refused', code, message, ...(note ? { note } : {}) });
      return;
    }
    const options =
      outcome.kind === 'retry' ? { atLeastMs: outcome.delayMs, rateLimited: outcome.rateLimited } : {};
    this.scheduleRetry(() => this.reopen(socket), options);
  }

  private reopen(socket: ServerSocket): void {
    // Not if the socket was closed meanwhile (logout, server removed).
    if (this.socket === socket && !socket.connected) void this.open(socket);
  }

  /**
   * The next attempt, after the policy's delay (its longest while the browser has no network: the
   * `online` event starts it early). One at a time: a later failure replaces a waiting attempt.
   */
  private scheduleRetry(run: () => void, options: RetryOptions = {}): void {
    this.cancelRetry();
    const offline = this.deps.online?.() === false;
    const atLeastMs = Math.max(options.atLeastMs ?? 0, offline ? this.policy.timings.maxMs : 0);
    const { attempt, delayMs } = this.policy.next(atLeastMs);
    const retryAt = this.deps.now() + delayMs;
    console.debug(`mpqcht ${this.url}: reconnect attempt ${attempt} in ${delayMs} ms`);
    this.status.set(
      options.rateLimited
        ? { kind: 'rate_limited', retryAt }
        : {
            kind: 'reconnecting',
            attempt,
            retryAt,
            ...(options.reason ? { reason: options.reason } : {}),
          },
    );
    this.waiting = { attempt, run };
    this.retryTimer = setTimeout(() => this.runAttempt(attempt, run), delayMs);
  }

  private runAttempt(attempt: number, run: () => void): void {
    const shown = this.status();
    const reason = shown.kind === 'reconnecting' ? shown.reason : undefined;
    this.cancelRetry();
    this.status.set({ kind: 'reconnecting', attempt, retryAt: null, ...(reason ? { reason } : {}) });
    run();
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.waiting = null;
  }

  private async afterConnect(): Promise<void> {
    this.cancelRetry();
    try {
      const session = await this.request('session.get', {});
      // Logged in and answered: a later loss starts over with a quick attempt.
      this.policy.reset();
      this.info.set(session.server);
      this.self.set(session.member);
      this.permissions.set(new Set(session.permissions));
      for (const listener of this.sessionListeners) listener(session);
      if (!session.member) {
        this.status.set({ kind: 'joining' });
        return;
      }
      await this.loadAfterLogin();
    } catch (error) {
      this.status.set({ kind: 'refused', code: 'internal_error', message: describeFailure(error) });
    }
  }

  /** After a (re)connect: what every feature loads, then online, then what they catch up. */
  private async loadAfterLogin(): Promise<void> {
    await Promise.all(this.loaders.map((load) => load()));
    this.status.set({ kind: 'online' });
    for (const resume of this.resumers) await resume();
  }
}
