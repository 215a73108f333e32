import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Socket } from 'socket.io';

/** Nest's wrapper around a handler's result: guards, interceptors, pipes and filters run in it. */
export type HandlerTransform = (result: unknown) => Observable<unknown>;

/** A gateway's handler bound by Nest to one socket. */
type BoundHandler = MessageMappingProperties['callback'];

/** Answers one request: calls the handler through Nest's transform and sends its reply. */
export type Answer = (
  socket: Socket,
  handler: { readonly callback: BoundHandler; readonly isAckHandledManually: boolean },
  transform: HandlerTransform,
  args: unknown[],
) => void;

/** What a socket holds: for each event's slot, its bound handler and Nest's transform. */
type SocketRoutes = (BoundHandler | HandlerTransform | undefined)[];

/**
 * The gateways' message handlers of every socket, dispatched by the socket's last middleware.
 *
 * Nest's IoAdapter subscribes each handler to each socket as an event listener (with an RxJS
 * pipeline, which MpqchtIoAdapter had already replaced by a plain listener). With about 40 handlers,
 * a heap snapshot at 5,000 connections still showed per socket a 45-key listener dictionary
 * (3.1 KB) and a closure and context per handler (about 4 KB). Here an event's slot is shared by all
 * sockets, and a socket holds one flat array of its bound handlers. Dispatching from the last
 * middleware keeps Socket.IO's order: the socket's earlier middlewares (the key's request budget,
 * RequestGate) decide first, then the handler runs on the next tick if the socket is still
 * connected, as Socket.IO runs listeners. Events no gateway handles go on to Socket.IO unchanged.
 */
export class MessageRoutes {
  private readonly slots = new Map<string, number>();
  private readonly manualAck: boolean[] = [];
  private readonly routes = new WeakMap<Socket, SocketRoutes>();

  constructor(private readonly answer: Answer) {}

  /**
   * Routes `handlers` for `socket`. The routes are the socket's last middleware (Nest binds them at
   * `connection`, after the handshake middleware attached RequestGate): a `socket.use` added later
   * would never see a routed event.
   */
  bind(socket: Socket, handlers: readonly MessageMappingProperties[], transform: HandlerTransform): void {
    let own = this.routes.get(socket);
    if (!own) {
      const routes: SocketRoutes = [];
      own = routes;
      this.routes.set(socket, routes);
      socket.use((packet, next) => {
        this.dispatch(socket, routes, packet, next);
      });
    }
    for (const handler of handlers) {
      const slot = this.slotOf(String(handler.message), handler.isAckHandledManually);
      if (own[2 * slot] !== undefined) {
        // Two gateways answering one event would both run under Nest's adapter: a wiring bug.
        throw new Error(`two gateways subscribe to "${String(handler.message)}"`);
      }
      own[2 * slot] = handler.callback;
      own[2 * slot + 1] = transform;
    }
  }

  private slotOf(event: string, isAckHandledManually: boolean): number {
    let slot = this.slots.get(event);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(event, slot);
      this.manualAck[slot] = isAckHandledManually;
    }
    return slot;
  }

  private dispatch(
    socket: Socket,
    own: SocketRoutes,
    packet: unknown[],
    next: (error?: Error) => void,
  ): void {
    const event = packet[0];
    const slot = typeof event === 'string' ? this.slots.get(event) : undefined;
    const callback = slot === undefined ? undefined : (own[2 * slot] as BoundHandler | undefined);
    if (slot === undefined || callback === undefined) {
      next();
      return;
    }
    const transform = own[2 * slot + 1] as HandlerTransform;
    const handler = { callback, isAckHandledManually: this.manualAck[slot] ?? false };
    process.nextTick(() => {
      if (socket.connected) this.answer(socket, handler, transform, packet.slice(1));
    });
  }
}
