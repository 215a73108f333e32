import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { of } from 'rxjs';
import { Server, type Socket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';

import { type HandlerTransform, MessageRoutes } from './message-routes';

const transform: HandlerTransform = (result) => of(result);

function handler(message: string, callback: () => unknown): MessageMappingProperties {
  return {
    message,
    methodName: message,
    callback: callback as MessageMappingProperties['callback'],
    isAckHandledManually: false,
  };
}

/** A real Socket.IO server whose sockets get a refusing middleware first, then the routes. */
describe('MessageRoutes', () => {
  let http: HttpServer;
  let io: Server;
  let client: ClientSocket;
  const calls: { socket: Socket; event: string; args: unknown[] }[] = [];
  const fellThrough: string[] = [];

  beforeEach(async () => {
    calls.length = 0;
    fellThrough.length = 0;
    const routes = new MessageRoutes((socket, bound, _transform, args) => {
      calls.push({ socket, event: bound.callback() as unknown as string, args });
    });
    http = createServer();
    io = new Server(http, { transports: ['websocket'] });
    io.on('connection', (socket) => {
      // The key's request budget stands first in the real server (RequestGate); with Redis it
      // decides a tick later, as here.
      socket.use(([event], next) => {
        setImmediate(() => {
          next(event === 'refused' ? new Error('refused by the budget') : undefined);
        });
      });
      routes.bind(socket, [handler('first', () => 'first')], transform);
      routes.bind(socket, [handler('second', () => 'second')], transform);
      socket.on('unrouted', () => fellThrough.push('unrouted'));
      socket.on('settle', (ack: () => void) => {
        ack();
      });
      socket.on('error', () => fellThrough.push('error'));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    client = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  });

  afterEach(async () => {
    client.disconnect();
    await io.close();
  });

  async function settle(): Promise<void> {
    // A round trip: the server has read (and dispatched, a tick later) everything sent before it.
    await client.emitWithAck('settle');
  }

  it('routes each event of every gateway to the handler bound to that socket, with its ack', async () => {
    client.emit('second', { n: 2 }, () => undefined);
    client.emit('first', { n: 1 });
    await settle();
    expect(calls.map((call) => call.event)).toEqual(['second', 'first']);
    expect(calls[0]?.args[0]).toEqual({ n: 2 });
    expect(typeof calls[0]?.args[1]).toBe('function');
    expect(calls[1]?.args).toEqual([{ n: 1 }]);
    const [only] = io.sockets.sockets.values();
    expect(calls.every((call) => call.socket === only)).toBe(true);
  });

  it('lets an earlier middleware refuse the event before any handler runs', async () => {
    client.emit('refused', { n: 0 });
    await settle();
    expect(calls).toEqual([]);
    expect(fellThrough).toContain('error');
  });

  it('passes events no gateway handles on to the socket’s own listeners', async () => {
    client.emit('unrouted');
    await settle();
    expect(fellThrough).toContain('unrouted');
    expect(calls).toEqual([]);
  });

  it('refuses two gateways subscribing to one event', () => {
    const routes = new MessageRoutes(() => undefined);
    const socket = { use: () => undefined } as unknown as Socket;
    routes.bind(socket, [handler('same', () => 1)], transform);
    expect(() => {
      routes.bind(socket, [handler('same', () => 2)], transform);
    }).toThrow('two gateways subscribe to "same"');
  });
});
