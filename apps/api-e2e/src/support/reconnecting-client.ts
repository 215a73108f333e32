import { io } from 'socket.io-client';

import type {
  Envelope,
  ErrorCode,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerRestartingDto,
} from '@mpqcht/protocol';

import type { TestSocket } from './client';
import { loginProof, type TestIdentity } from './identity';

/**
 * A server that may be restarted at the same address (a fixed port, so the same public origin):
 * what a long-lived client knows about it.
 */
export interface ServerAddress {
  readonly url: string;
  readonly origin: string;
}

/**
 * Which api process is running, for tests that kill and restart it: `instance` is bumped by the
 * test *before* it starts the next process (the previous one has exited by then, so every
 * connection made after the bump reaches the new one). Logins wait for `gate`, so that the test
 * can look at a restarted process (its database) before any client gets in.
 */
export interface ServerLife {
  instance: number;
  gate: Promise<void>;
}

/** What became of one request: its envelope, or `lost` when the connection ended (or timed out) first. */
export type Answer<T> =
  | { readonly kind: 'ok'; readonly data: T }
  | {
      readonly kind: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly details?: Record<string, unknown>;
    }
  | { readonly kind: 'lost' };

/** How one connection ended. */
export interface Ending {
  /** `ServerLife.instance` when the connection was made. */
  readonly instance: number;
  /** The Socket.IO disconnect reason, e.g. `transport close`. */
  readonly reason: string;
  /** The `server.restarting` push this connection received before it ended, if any. */
  readonly restarting: ServerRestartingDto | undefined;
}

const RETRY_MS = 50;

/**
 * A Socket.IO client that behaves like the web client across server restarts: it reconnects by
 * itself, signing a fresh login challenge at every attempt (the handshake `auth` is a callback).
 * Socket.IO gives up after a refused handshake or a server-side disconnect; this client tries again
 * then too, until `close()`.
 */
export class ReconnectingClient {
  readonly socket: TestSocket;
  /** Every ended connection, oldest first. */
  readonly endings: Ending[] = [];
  /** `ServerLife.instance` at the current (or last) connect. */
  instance = -1;
  connects = 0;
  private restarting: ServerRestartingDto | undefined;
  /** Connected (Socket.IO also says `disconnect` when a handshake in progress is cut off). */
  private live = false;
  private closed = false;
  private readonly connectWaiters: (() => void)[] = [];
  private readonly connectListeners: (() => void)[] = [];

  constructor(
    readonly address: ServerAddress,
    readonly identity: TestIdentity,
    private readonly life: ServerLife,
  ) {
    this.socket = io(address.url, {
      auth: (cb) => {
        life.gate
          .then(() => loginProof(identity, address.url, address.origin))
          .then(
            (proof) => {
              cb({ ...proof });
            },
            // The server went away between the transport opening and the challenge: a refused
            // handshake, retried below.
            () => {
              cb({});
            },
          );
      },
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      reconnectionDelay: RETRY_MS,
      reconnectionDelayMax: 250,
    });
    this.socket.on('connect', () => {
      this.instance = this.life.instance;
      this.live = true;
      this.connects += 1;
      this.restarting = undefined;
      this.connectWaiters.splice(0).forEach((resolve) => {
        resolve();
      });
      [...this.connectListeners].forEach((listener) => {
        listener();
      });
    });
    this.socket.on('server.restarting', (restarting) => {
      this.restarting = restarting;
    });
    this.socket.on('disconnect', (reason) => {
      if (this.live) this.endings.push({ instance: this.instance, reason, restarting: this.restarting });
      this.live = false;
      this.retryUnlessActive();
    });
    this.socket.on('connect_error', () => {
      this.retryUnlessActive();
    });
  }

  start(): this {
    this.socket.connect();
    return this;
  }

  /** Resolves once connected to process `instance` (`ServerLife.instance`) or a later one. */
  connectedTo(instance: number): Promise<void> {
    if (this.socket.connected && this.instance >= instance) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = () => {
        if (this.instance < instance) return;
        this.connectListeners.splice(this.connectListeners.indexOf(listener), 1);
        resolve();
      };
      this.connectListeners.push(listener);
    });
  }

  /** Runs `listener` at every connect, the first one included. */
  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** True between `server.restarting` and the end of that connection. */
  get draining(): boolean {
    return this.restarting !== undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Resolves when requests can be made: at once when connected (and the server is not draining),
   * otherwise at the next connect; also at `close()`.
   */
  ready(): Promise<void> {
    if (this.closed || (this.socket.connected && !this.draining)) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /**
   * One request on the current connection. Never emitted while disconnected (Socket.IO would
   * buffer it and send it at the next connect, an unintended retry): that is `lost` at once.
   */
  request<E extends RequestEvent>(
    event: E,
    payload: RequestPayload<E>,
    timeoutMs = 5_000,
  ): Promise<Answer<ResponseTypes[E]>> {
    if (!this.socket.connected) return Promise.resolve({ kind: 'lost' });
    return new Promise((resolve) => {
      const finish = (answer: Answer<ResponseTypes[E]>) => {
        clearTimeout(timer);
        this.socket.off('disconnect', onDisconnect);
        resolve(answer);
      };
      const onDisconnect = () => {
        finish({ kind: 'lost' });
      };
      const timer = setTimeout(() => {
        finish({ kind: 'lost' });
      }, timeoutMs);
      this.socket.once('disconnect', onDisconnect);
      const emit = this.socket.emit.bind(this.socket) as (event: string, ...args: unknown[]) => void;
      emit(event, payload, (envelope: Envelope<ResponseTypes[E]>) => {
        finish(
          envelope.ok
            ? { kind: 'ok', data: envelope.data }
            : {
                kind: 'error',
                code: envelope.error.code,
                message: envelope.error.message,
                ...(envelope.error.details ? { details: envelope.error.details } : {}),
              },
        );
      });
    });
  }

  close(): void {
    this.closed = true;
    this.socket.close();
    this.connectWaiters.splice(0).forEach((resolve) => {
      resolve();
    });
  }

  private retryUnlessActive(): void {
    if (this.closed || this.socket.active) return;
    setTimeout(() => {
      if (!this.closed && !this.socket.active) this.socket.connect();
    }, RETRY_MS);
  }
}
