import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';

import { type Answer, type HandlerTransform, MessageRoutes } from './message-routes';
import { OneWriteFrameAdapter } from './one-write-frame-adapter';
import { type EngineConnection, OutboundBacklog } from './outbound-backlog';
import type { PushService } from './push.service';
import type { MpqchtServer } from './socket-session';

/** The gateways' disconnect callbacks of each socket, called by one listener. */
const disconnectCallbacks = new WeakMap<Socket, (() => void)[]>();

/**
 * Socket.IO's server options, the bound of each connection's outbound backlog (OutboundBacklog),
 * and the `PushService` that sends through the server once it exists.
 */
export type MpqchtIoOptions = Partial<ServerOptions> & {
  readonly socketBacklogBytes: number;
  readonly push: PushService;
};

/**
 * Socket.IO server options decided at start (sizes from config.toml) instead of in decorators, and
 * a lean binding of the gateways' handlers to each socket.
 *
 * Nest's IoAdapter builds an RxJS pipeline per handler per socket (fromEvent, mergeMap, takeUntil
 * on a shared disconnect stream): with our ~25 handlers that was about 110 KB of heap for every
 * connected socket (measured with a heap snapshot: closures, contexts and OperatorSubscribers),
 * 4x what the socket itself costs. Here the socket's last middleware dispatches every event to its
 * handler (MessageRoutes: event slots shared by all sockets); the handler's result is still Nest's
 * observable (guards, interceptors, pipes, filters run as before), subscribed once per request. The
 * payload/ack mapping and the reply rules are the IoAdapter's.
 */
export class MpqchtIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private readonly serverOptions: Partial<ServerOptions>;
  private readonly socketBacklogBytes: number;
  private readonly push: PushService;
  private readonly routes = new MessageRoutes((socket, handler, transform, args) => {
    this.answer(socket, handler, transform, args);
  });

  constructor(app: INestApplicationContext, { socketBacklogBytes, push, ...serverOptions }: MpqchtIoOptions) {
    super(app);
    this.serverOptions = serverOptions;
    this.socketBacklogBytes = socketBacklogBytes;
    this.push = push;
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    // Room emits framed as one Buffer: a plain write per delivery (OneWriteFrameAdapter).
    const server = super.createIOServer(port, {
      ...options,
      adapter: OneWriteFrameAdapter,
      ...this.serverOptions,
    }) as Server;
    // Pushes go through the process's one server from its creation on, whichever gateway (or none)
    // is initialised first.
    this.push.attach(server as MpqchtServer);
    // Every Engine.IO connection, from its handshake on (before login too).
    server.engine.on('connection', (conn: EngineConnection) => {
      OutboundBacklog.watch(conn, this.socketBacklogBytes, (dropped, waitingBytes) => {
        this.logger.warn(
          `a connection from ${dropped.remoteAddress} was dropped: ${waitingBytes} bytes waiting to be written to a client that is not reading (SOCKET_BACKLOG_BYTES ${this.socketBacklogBytes})`,
        );
      });
    });
    return server;
  }

  /**
   * Nest binds one `disconnect` listener per gateway to every socket: eleven, past Node's default
   * of ten, so every login printed a MaxListenersExceededWarning with its stack (seen in a CPU
   * profile of the bench's ramp). One listener per socket calls them all, in the same order.
   */
  override bindClientDisconnect(client: Socket, callback: () => void): void {
    let callbacks = disconnectCallbacks.get(client);
    if (!callbacks) {
      const list: (() => void)[] = [];
      disconnectCallbacks.set(client, list);
      client.once('disconnect', () => {
        for (const call of list) call();
      });
      callbacks = list;
    }
    callbacks.push(callback);
  }

  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: Parameters<IoAdapter['bindMessageHandlers']>[2],
  ): void {
    this.routes.bind(socket, handlers, transform);
  }

  /** One request: the payload/ack mapping and the reply rules are Nest's IoAdapter's. */
  private answer(
    socket: Socket,
    handler: Parameters<Answer>[1],
    transform: HandlerTransform,
    args: unknown[],
  ) {
    const mapped = this.mapPayload(args.length === 1 ? args[0] : args);
    const data: unknown = mapped.data;
    const ack = mapped.ack;
    const result: Observable<unknown> = transform(handler.callback(data, ack));
    result.subscribe({
      next: (response) => {
        if (response === null || response === undefined) return;
        if (typeof response === 'object' && 'event' in response && response.event) {
          const { event, data: payload } = response as { event: string; data: unknown };
          socket.emit(event, payload);
          return;
        }
        if (!handler.isAckHandledManually && typeof ack === 'function')
          (ack as (body: unknown) => void)(response);
      },
      error: (error: unknown) => {
        // Filters answer errors; reaching here is a bug, and must not end the socket's handlers.
        this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      },
    });
  }
}
