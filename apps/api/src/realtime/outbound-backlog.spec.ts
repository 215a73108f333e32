import { EventEmitter } from 'node:events';

import { type EngineConnection, OutboundBacklog } from './outbound-backlog';

/** What engine.io 6 does that the bound relies on: `packetCreate` before the push, flush empties the buffer. */
class FakeConnection extends EventEmitter implements EngineConnection {
  readonly remoteAddress = '127.0.0.1';
  writeBuffer: unknown[] = [];
  closedWith: boolean | undefined;
  terminated = 0;
  readonly ws = { bufferedAmount: 0, terminate: () => (this.terminated += 1) };
  transport: EngineConnection['transport'] = { name: 'websocket', socket: this.ws };

  send(data: string | Buffer): void {
    const packet = { type: 'message', data };
    this.emit('packetCreate', packet);
    this.writeBuffer.push(packet);
  }

  /** The transport takes the buffer; what the kernel did not take stays in the websocket. */
  flush(unsentBytes: number): void {
    this.writeBuffer = [];
    this.ws.bufferedAmount = unsentBytes;
  }

  close(discard?: boolean): void {
    this.closedWith = discard;
  }
}

function watched(limit: number) {
  const conn = new FakeConnection();
  const drops: number[] = [];
  const backlog = OutboundBacklog.watch(conn, limit, (_conn, waiting) => drops.push(waiting));
  return { conn, drops, backlog };
}

describe('OutboundBacklog', () => {
  it('counts what waits in Engine.IO and in the websocket, and forgets what was flushed', () => {
    const { conn, backlog } = watched(1000);
    conn.send('a'.repeat(300));
    conn.send(Buffer.alloc(200));
    expect(backlog.waitingBytes()).toBe(500);
    conn.flush(120);
    expect(backlog.waitingBytes()).toBe(120);
    conn.send('b'.repeat(50));
    expect(backlog.waitingBytes()).toBe(170);
  });

  it('terminates the websocket once more than the limit waits, and reports it once', () => {
    const { conn, drops } = watched(1000);
    for (let i = 0; i < 10; i++) conn.send('x'.repeat(100));
    expect(conn.terminated).toBe(0);
    conn.send('x'.repeat(100)); // 1,000 waiting: not more than the limit
    expect(conn.terminated).toBe(0);
    conn.send('x'.repeat(100));
    conn.send('x'.repeat(100));
    expect(conn.terminated).toBe(1);
    expect(drops).toEqual([1100]);
    expect(conn.closedWith).toBeUndefined();
  });

  it('counts bytes stuck in the websocket after a flush', () => {
    const { conn, drops } = watched(1000);
    conn.send('x'.repeat(2000));
    conn.flush(1500); // the client stopped reading during the write
    conn.send('y');
    expect(drops).toEqual([1500]);
  });

  it('lets one answer larger than the limit through to a socket whose backlog is small', () => {
    const { conn } = watched(1000);
    conn.send('p'.repeat(5000));
    expect(conn.terminated).toBe(0);
    conn.flush(0); // a reading client takes it
    conn.send('q');
    expect(conn.terminated).toBe(0);
  });

  it('closes a polling connection without waiting for its buffer', () => {
    const { conn } = watched(1000);
    conn.transport = { name: 'polling' };
    for (let i = 0; i < 12; i++) conn.send('x'.repeat(100));
    expect(conn.closedWith).toBe(true);
  });
});
