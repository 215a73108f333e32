import { type HandshakeSocket, whenConnected } from './handshake';

class FakeSocket {
  closed = 0;
  private readonly listeners = new Map<string, ((arg?: unknown) => void)[]>();

  once(event: string, listener: (arg?: unknown) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: (arg?: unknown) => void): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  close(): this {
    this.closed++;
    return this;
  }

  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  fire(event: string, arg?: unknown): void {
    const listeners = this.listeners.get(event) ?? [];
    this.listeners.set(event, []);
    for (const listener of listeners) listener(arg);
  }

  as(): HandshakeSocket {
    return this as unknown as HandshakeSocket;
  }
}

describe('whenConnected', () => {
  it('resolves on connect and leaves no listener behind', async () => {
    const socket = new FakeSocket();
    const connected = whenConnected(socket.as());
    socket.fire('connect');
    await expect(connected).resolves.toBeUndefined();
    expect(socket.count('connect_error')).toBe(0);
    expect(socket.closed).toBe(0);
  });

  it('closes the socket and rejects with the connect_error as it came', async () => {
    const socket = new FakeSocket();
    const connected = whenConnected(socket.as());
    const refusal = Object.assign(new Error('banned'), { data: { code: 'banned', message: 'banned' } });
    socket.fire('connect_error', refusal);
    await expect(connected).rejects.toBe(refusal);
    expect(socket.closed).toBe(1);
    expect(socket.count('connect')).toBe(0);
  });
});
