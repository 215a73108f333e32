import { type RawData, WebSocket } from 'ws';

import type { ApiProcess } from '@mpqcht/test-harness';

import { loginProof, type TestIdentity } from './identity';

const HANDSHAKE_TIMEOUT_MS = 10_000;

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  return Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
}

/**
 * A member's connection spoken in raw Engine.IO v4 / Socket.IO v5 over `ws` (open `0{...}`, connect
 * `40{auth}` → `40{...}`, `420[event, payload]` → ack `430[...]`), so that a test can stop reading
 * from its TCP socket, as a client that hangs or an attacker does, while it keeps answering
 * heartbeats blindly: the server's ping timeout never drops it.
 */
export class StallingClient {
  private constructor(private readonly socket: WebSocket) {}

  /** Logs in with a fresh proof, then `member.join`s; resolves once joined. */
  static async join(api: ApiProcess, identity: TestIdentity, displayName: string): Promise<StallingClient> {
    const auth = await loginProof(identity, api.url, api.origin);
    const socket = new WebSocket(`${api.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no Socket.IO connect in time')), HANDSHAKE_TIMEOUT_MS);
      socket.once('error', reject);
      socket.on('message', (data: RawData) => {
        const frame = text(data);
        if (frame.startsWith('0{')) socket.send(`40${JSON.stringify(auth)}`);
        else if (frame === '2') socket.send('3');
        else if (frame.startsWith('40{'))
          socket.send(`420${JSON.stringify(['member.join', { displayName }])}`);
        else if (frame.startsWith('430[')) {
          clearTimeout(timer);
          socket.removeAllListeners('message');
          socket.off('error', reject);
          socket.on('error', () => undefined); // a reset after the server dropped it: `close` follows
          if (frame.includes('"ok":true')) resolve();
          else reject(new Error(`member.join failed: ${frame}`));
        } else if (frame.startsWith('44')) reject(new Error(`connect refused: ${frame}`));
      });
    });
    return new StallingClient(socket);
  }

  /** Stops reading from the TCP socket: what the server writes piles up in the kernel, then in the server. */
  stopReading(): void {
    this.socket.pause();
  }

  /** A pong without having read the ping: keeps the server's heartbeat satisfied. */
  pongBlindly(): void {
    this.socket.send('3');
  }

  /**
   * Reads again and resolves when the server has closed the connection (after whatever it had sent
   * before closing). Not called on a connection the server keeps: it would never resolve.
   */
  closedByServer(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) resolve();
      this.socket.once('close', () => resolve());
      this.socket.on('message', () => undefined);
      this.socket.resume();
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
