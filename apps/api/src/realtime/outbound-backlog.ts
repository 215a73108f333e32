/**
 * Bounds what one connection may have waiting to be written to its client, so that clients that
 * stop reading cannot grow the server's memory with the room's traffic (docs/operations.md,
 * "Slow and stalled clients").
 *
 * Where the bytes wait, in engine.io 6 / ws 8: a packet for a socket first goes into the Engine.IO
 * socket's `writeBuffer`. While the transport is writable, a flush hands the whole buffer to it:
 * the websocket transport writes every packet into the ws socket, which writes into the TCP
 * socket; what the kernel does not take stays in the net.Socket's buffer (ws `bufferedAmount`).
 * The transport becomes writable again only when the last of those writes has completed, so for a
 * client that stops reading, one flush sits in the net.Socket and everything after it piles up in
 * `writeBuffer` (one small object per packet; the encoded data of a room push is shared by every
 * socket in the room). The polling transport keeps packets in `writeBuffer` until the client's
 * next GET takes them all. The ping timeout does not help: a client can answer pings without
 * reading anything.
 *
 * The check runs when a packet is queued (Engine.IO's `packetCreate`): O(1), no timer. If more than
 * the limit was already waiting, the transport is destroyed at once: not a Socket.IO disconnect
 * (its packet would queue behind the backlog, and an orderly close waits for the buffer to drain),
 * so the client sees a lost connection, reconnects and catches up by `rev` (docs/protocol.md,
 * "Delivery"). Counting what was waiting *before* the new packet lets one large answer (a catch-up
 * page) through to a socket whose backlog is small, so a bound below the largest page cannot lock a
 * client into reconnecting forever.
 */

/** What this class reads of an Engine.IO socket (engine.io 6); `writeBuffer` is private in its types. */
export interface EngineConnection {
  readonly remoteAddress: string;
  readonly writeBuffer: readonly unknown[];
  readonly transport: EngineTransport;
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): unknown;
  close(discard?: boolean): unknown;
}

interface EngineTransport {
  readonly name: string;
  /** The ws WebSocket, for the websocket transport. */
  readonly socket?: { readonly bufferedAmount?: number; terminate?: () => void };
}

interface EnginePacket {
  readonly data?: unknown;
}

/** Characters of a string packet (its bytes for ASCII), bytes of a binary one. */
function sizeOf(packet: EnginePacket): number {
  const data = packet.data;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

export class OutboundBacklog {
  /** Bytes queued in `writeBuffer` since it was last flushed. */
  private queued = 0;
  private exceeded = false;

  private constructor(
    private readonly conn: EngineConnection,
    private readonly limitBytes: number,
    private readonly onExceeded: (conn: EngineConnection, waitingBytes: number) => void,
  ) {}

  /** Watches one connection for as long as it lives (the listener goes with the socket). */
  static watch(
    conn: EngineConnection,
    limitBytes: number,
    onExceeded: (conn: EngineConnection, waitingBytes: number) => void,
  ): OutboundBacklog {
    const backlog = new OutboundBacklog(conn, limitBytes, onExceeded);
    conn.on('packetCreate', (packet) => {
      backlog.queue(packet);
    });
    return backlog;
  }

  /** Bytes waiting in this connection's buffers (Engine.IO's and the websocket's), before `packet`. */
  waitingBytes(): number {
    // `packetCreate` comes before the packet is pushed: an empty writeBuffer was flushed.
    if (this.conn.writeBuffer.length === 0) this.queued = 0;
    return this.queued + (this.conn.transport.socket?.bufferedAmount ?? 0);
  }

  private queue(packet: EnginePacket): void {
    if (this.exceeded) return;
    const waiting = this.waitingBytes();
    if (waiting > this.limitBytes) {
      this.exceeded = true;
      this.onExceeded(this.conn, waiting);
      this.drop();
      return;
    }
    this.queued += sizeOf(packet);
  }

  /** Destroys the transport without waiting for its buffers (which the client is not reading). */
  private drop(): void {
    const socket = this.conn.transport.socket;
    if (typeof socket?.terminate === 'function') socket.terminate();
    else this.conn.close(true);
  }
}
