/**
 * A minimal Socket.IO client over `ws`: the Engine.IO v4 / Socket.IO v5 handshake, pong for ping,
 * acks for the few requests it makes (member.join), and every event frame handed over raw. The
 * server cannot tell it from socket.io-client; it costs the load generator far less per delivery
 * because it never decodes or parses an event it does not need (see sio-packets.ts).
 */
import { type RawData, WebSocket } from 'ws';

import { connectPacket, engineIoUrl, eventPacket, parsePacket, PONG } from './sio-packets';

/** A stalled receiver's blind pong: more often than the server's ping interval (25 s). */
const BLIND_PONG_MS = 10_000;
const CHAR_1 = 0x31;
const CHAR_2 = 0x32;
const CHAR_3 = 0x33;
const CHAR_4 = 0x34;

function bufferOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A refused connection: `code` is mpqcht's error code from the CONNECT_ERROR data when there is one. */
export class ConnectRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function refusalOf(packetData: unknown): ConnectRefused {
  // `44{"message":..., "data":{"code":..., "message":...}}`: mpqcht's error body is the data.
  const data =
    typeof packetData === 'object' && packetData !== null
      ? (packetData as { data?: unknown }).data
      : undefined;
  const code = typeof data === 'object' && data !== null ? (data as { code?: unknown }).code : undefined;
  return new ConnectRefused(
    typeof code === 'string' ? code : 'connect_error',
    `connect refused: ${JSON.stringify(packetData)}`,
  );
}

export class MinimalSocketIo {
  /** Every EVENT frame (`42...`), undecoded. */
  onEvent: (frame: Buffer) => void = () => undefined;
  onClose: () => void = () => undefined;
  private nextAckId = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private blindPongs: NodeJS.Timeout | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => {
      this.frame(bufferOf(data));
    });
    socket.on('close', () => {
      clearInterval(this.blindPongs);
      this.onClose();
    });
  }

  /**
   * Stops reading from the TCP socket (what the server sends piles up in the kernel, then in the
   * server) and keeps the server's heartbeat satisfied with pongs sent without reading the pings.
   */
  stall(): void {
    this.socket.pause();
    this.blindPongs = setInterval(() => {
      this.socket.send(PONG);
    }, BLIND_PONG_MS);
  }

  /** Opens the WebSocket, waits for the open packet, connects to `/` with `auth`. */
  static connect(
    httpUrl: string,
    auth: unknown,
    timeoutMs: number,
    query: Record<string, string> = {},
  ): Promise<MinimalSocketIo> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(engineIoUrl(httpUrl, query), {
        perMessageDeflate: false,
        skipUTF8Validation: true,
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.removeAllListeners('message');
        socket.terminate();
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new ConnectRefused('connect_timeout', 'no Socket.IO connect in time'));
      }, timeoutMs);
      const closed = () => {
        fail(new ConnectRefused('closed', 'closed during the handshake'));
      };
      socket.once('error', fail);
      socket.once('close', closed);
      const handshake = (data: RawData) => {
        const packet = parsePacket(bufferOf(data).toString());
        if (packet.kind === 'open') {
          socket.send(connectPacket(auth));
        } else if (packet.kind === 'ping') {
          socket.send(PONG);
        } else if (packet.kind === 'connect') {
          clearTimeout(timer);
          socket.off('message', handshake);
          socket.off('error', fail);
          socket.off('close', closed);
          socket.on('error', () => undefined); // a later error closes the socket: onClose
          resolve(new MinimalSocketIo(socket));
        } else if (packet.kind === 'connect_error') {
          fail(refusalOf(packet.data));
        }
      };
      socket.on('message', handshake);
    });
  }

  private frame(frame: Buffer): void {
    const type = frame[0];
    if (type === CHAR_2 && frame.length === 1) {
      this.socket.send(PONG);
    } else if (type === CHAR_4) {
      const inner = frame[1];
      if (inner === CHAR_2) this.onEvent(frame);
      else if (inner === CHAR_3) this.ack(frame.toString());
      else if (inner === CHAR_1) this.socket.close();
    } else if (type === CHAR_1) {
      this.socket.close();
    }
  }

  private ack(text: string): void {
    const packet = parsePacket(text);
    if (packet.kind !== 'ack') return;
    const resolve = this.acks.get(packet.id);
    this.acks.delete(packet.id);
    resolve?.(packet.args);
  }

  /** Emits an event with an ack; resolves with the ack's first argument. */
  request(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextAckId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`${event}: no ack in ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0]);
      });
      this.socket.send(eventPacket(event, [payload], id));
    });
  }

  close(): void {
    clearInterval(this.blindPongs);
    this.socket.terminate();
  }
}
