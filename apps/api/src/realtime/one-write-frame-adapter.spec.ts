import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocket } from 'ws';

import { OneWriteFrameAdapter } from './one-write-frame-adapter';

interface Packet {
  readonly options?: { readonly wsPreEncodedFrame?: readonly Buffer[] };
}

/** A Socket.IO client over a plain websocket: connects to `/` and collects the frames it receives. */
function connect(port: number): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame.startsWith('0')) ws.send('40');
      else if (frame.startsWith('40')) resolve({ ws, frames });
      else frames.push(frame);
    });
  });
}

describe('OneWriteFrameAdapter', () => {
  let http: HttpServer;
  let io: Server;
  let port: number;
  const packets: Packet[] = [];

  beforeEach(async () => {
    http = createServer();
    io = new Server(http, { adapter: OneWriteFrameAdapter, transports: ['websocket'] });
    io.engine.on('connection', (conn: { on(event: 'packetCreate', listener: (p: Packet) => void): void }) => {
      conn.on('packetCreate', (packet) => packets.push(packet));
    });
    io.on('connection', (socket) => void socket.join('room'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });

  afterEach(async () => {
    packets.length = 0;
    await io.close();
  });

  it('wraps the encoder of the installed socket.io-adapter', () => {
    expect(OneWriteFrameAdapter.wrapsEncoder).toBe(true);
  });

  it('hands every socket of the room one Buffer holding the whole frame, which arrives intact', async () => {
    const clients = [await connect(port), await connect(port)];
    const content = 'é'.repeat(3000); // a 2-byte length header and multi-byte UTF-8
    const received = clients.map(
      ({ ws, frames }) =>
        new Promise<void>((resolve) => {
          ws.on('message', () => {
            if (frames.length > 0) resolve();
          });
        }),
    );
    io.to('room').emit('message.created', { content });
    await Promise.all(received);

    for (const { frames } of clients)
      expect(frames).toEqual([`42${JSON.stringify(['message.created', { content }])}`]);
    const broadcast = packets.filter((p) => p.options?.wsPreEncodedFrame !== undefined);
    expect(broadcast).toHaveLength(2);
    for (const packet of broadcast) expect(packet.options?.wsPreEncodedFrame).toHaveLength(1);
    for (const { ws } of clients) ws.terminate();
  });
});
