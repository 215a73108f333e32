import type {
  ChallengeDto,
  Envelope,
  ErrorCode,
  PowChallengeDto,
  PowProof,
  PushEvent,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerInfoDto,
  ServerToClientEvents,
} from '@mpqcht/protocol';

import type { ChallengeOptions, ServerHttp } from '../connection/server-http';
import type { AuthCallback, ServerSocket, SocketFactory } from '../connection/server-socket';

/**
 * Test doubles for the transport of a ServerConnection: a Socket.IO socket that records requests
 * and lets the test answer them, emit pushes and lifecycle events; and a ServerHttp whose answers
 * the test sets. For unit tests only; nothing in the app imports this folder.
 */

type Handler = (...args: never[]) => void;

/** One acknowledged emit the connection made, waiting for (or given) its answer. */
export class FakeRequest<E extends RequestEvent = RequestEvent> {
  answered = false;

  constructor(
    readonly event: E,
    readonly payload: RequestPayload<E>,
    readonly timeoutMs: number,
    private readonly settle: (envelope: Envelope<ResponseTypes[E]>) => void,
    private readonly fail: (error: Error) => void,
  ) {}

  answer(envelope: Envelope<ResponseTypes[E]>): void {
    if (this.answered) throw new Error(`${this.event} was already answered`);
    this.answered = true;
    this.settle(envelope);
  }

  ok(data: ResponseTypes[E]): void {
    this.answer({ ok: true, data });
  }

  error(code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    this.answer({ ok: false, error: details ? { code, message, details } : { code, message } });
  }

  /** What socket.io does when the ack does not come within `timeout(ms)`. */
  timeOut(): void {
    if (this.answered) throw new Error(`${this.event} was already answered`);
    this.answered = true;
    this.fail(new Error('operation has timed out'));
  }
}

/** Answers a request automatically (see FakeSocket.handle). */
export type Responder<E extends RequestEvent> = (payload: RequestPayload<E>) => Envelope<ResponseTypes[E]>;

class Emitter {
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.length ?? 0;
  }

  protected fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as (...a: unknown[]) => void)(...args);
  }
}

export class FakeSocket extends Emitter {
  connected = false;
  /** The Socket.IO Manager: the connection only removes its listeners on close. */
  readonly io = new Emitter();
  /** Every request emitted, answered or not, in order. */
  readonly requests: FakeRequest[] = [];
  /** Calls of connect() and disconnect() made by the code under test. */
  connectCalls = 0;
  disconnectCalls = 0;
  private readonly responders = new Map<RequestEvent, (payload: never) => Envelope<unknown>>();

  constructor(
    readonly url: string,
    readonly auth: AuthCallback,
  ) {
    super();
  }

  /** The connection only sees the parts of a Socket.IO socket it uses. */
  asSocket(): ServerSocket {
    return this as unknown as ServerSocket;
  }

  connect(): this {
    this.connectCalls++;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls++;
    this.connected = false;
    return this;
  }

  timeout(ms: number): { emitWithAck: (event: RequestEvent, payload: unknown) => Promise<unknown> } {
    return {
      emitWithAck: (event, payload) =>
        new Promise((resolve, reject) => {
          const request = new FakeRequest(event, payload as never, ms, resolve, reject);
          this.requests.push(request);
          const responder = this.responders.get(event);
          if (responder) request.answer(responder(payload as never) as never);
        }),
    };
  }

  /** Answers every later request of this event with the responder's envelope. */
  handle<E extends RequestEvent>(event: E, responder: Responder<E>): this {
    this.responders.set(event, responder);
    return this;
  }

  /** Stops answering this event automatically. */
  unhandle(event: RequestEvent): this {
    this.responders.delete(event);
    return this;
  }

  /** The requests of one event, oldest first. */
  sent<E extends RequestEvent>(event: E): FakeRequest<E>[] {
    return this.requests.filter((r) => r.event === event) as unknown as FakeRequest<E>[];
  }

  /** The oldest unanswered request of this event, if any. */
  pending<E extends RequestEvent>(event: E): FakeRequest<E> | undefined {
    return this.sent(event).find((r) => !r.answered);
  }

  /** The handshake succeeded. */
  serverConnect(): void {
    this.connected = true;
    this.fire('connect');
  }

  /** The transport dropped, or the server disconnected the socket. */
  serverDisconnect(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  /** The handshake was refused, with `err.data = { code, message, details? }` as the server sends it. */
  connectError(code: string | null, message: string, details?: Record<string, unknown>): void {
    const data = details ? { code, message, details } : { code, message };
    const error = Object.assign(new Error(message), code ? { data } : {});
    this.connected = false;
    this.fire('connect_error', error);
  }

  push<E extends PushEvent>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.fire(event, ...args);
  }

  /** Runs the handshake's `auth` callback, as socket.io does before each (re)connect. */
  requestAuth(): Promise<object> {
    return new Promise((resolve) => {
      this.auth(resolve);
    });
  }
}

/** A SocketFactory that records the sockets it makes. */
export class FakeSocketFactory {
  readonly sockets: FakeSocket[] = [];
  readonly create: SocketFactory = (url, auth) => {
    const socket = new FakeSocket(url, auth);
    this.sockets.push(socket);
    return socket.asSocket();
  };

  get last(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket;
  }
}

export function serverInfo(origin: string, overrides: Partial<ServerInfoDto> = {}): ServerInfoDto {
  return {
    name: 'Test server',
    description: '',
    origin,
    protocolVersion: 1,
    maxMessageLength: 4000,
    theme: {},
    roles: [],
    ...overrides,
  };
}

/** A ServerHttp whose server info the test sets; challenges get fresh random nonces. */
export class FakeServerHttp implements ServerHttp {
  readonly infoCalls: string[] = [];
  readonly challenges: ChallengeDto[] = [];
  /** What serverInfo answers; an Error rejects. */
  info: (url: string) => ServerInfoDto | Error = (url) => serverInfo(url);
  challengeError: Error | null = null;
  /** What each challenge request was asked with (the login pass, the solver). */
  readonly challengeOptions: ChallengeOptions[] = [];
  /** Set: a request without a pass must first solve this, as a flooded server asks. */
  powChallenge: PowChallengeDto | null = null;
  readonly proofs: PowProof[] = [];

  serverInfo(url: string): Promise<ServerInfoDto> {
    this.infoCalls.push(url);
    const info = this.info(url);
    return info instanceof Error ? Promise.reject(info) : Promise.resolve(info);
  }

  async challenge(url: string, options: ChallengeOptions = {}): Promise<ChallengeDto> {
    this.challengeOptions.push(options);
    if (this.powChallenge && !options.pass) {
      if (!options.solvePow) throw new Error('the fake server asks for proof-of-work; no solver given');
      this.proofs.push(await options.solvePow(this.powChallenge));
    }
    if (this.challengeError) throw this.challengeError;
    const nonce = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    const challenge = { nonce, expiresAt: new Date(0).toISOString(), origin: url };
    this.challenges.push(challenge);
    return challenge;
  }
}
