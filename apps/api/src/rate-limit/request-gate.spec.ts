import type { Envelope, ErrorCode } from '@mpqcht/protocol';

import type { Actor } from '../policy/channel-policy';
import { actor, ROOT, samplePolicy } from '../policy/testing/sample-community';
import type { MpqchtSocket, SocketSession } from '../realtime/socket-session';
import { FloodCooldown } from './flood-cooldown';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { type RateLimitStore, RateLimitStoreUnavailable } from './rate-limit-store';
import { DISCONNECT_ABOVE_SCORE, SLOW_FROM_SCORE, SLOWED_COST } from './refusal-score';
import { RequestGate } from './request-gate';

const TOML = `
[server]
name = "gate"

[limits]
burst = 20
rate_per_second = 1

[[roles]]
id = "fast"
name = "Fast"
limits = { burst = 40 }

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

type Middleware = (packet: unknown[], next: (error?: Error) => void) => void;
/** 'passed' (on to the handler), 'dropped', or the code the gate answered with. */
type Outcome = string;

/** The part of a Socket.IO socket the gate uses, recording what the server does to it. */
class FakeSocket {
  connected = true;
  readonly pushes: { event: string; payload: unknown }[] = [];
  private middleware: Middleware | undefined;

  constructor(
    readonly id: string,
    readonly data: { session: SocketSession },
  ) {}

  use(middleware: Middleware): void {
    this.middleware = middleware;
  }

  emit(event: string, payload: unknown): void {
    this.pushes.push({ event, payload });
  }

  disconnect(): void {
    this.connected = false;
  }

  /**
   * Sends an event through the gate. A packet let through reaches the "handler", which answers
   * with `answer` through whatever ack the gate left in the packet. Resolves with what happened.
   */
  async send(
    event: unknown,
    args: unknown[],
    answer: Envelope<unknown> = { ok: true, data: {} },
  ): Promise<Outcome> {
    const middleware = this.middleware;
    if (!middleware) throw new Error('the gate is not attached');
    let acked: Envelope<unknown> | undefined;
    const packet: unknown[] = [event, ...args, (envelope: Envelope<unknown>) => (acked = envelope)];
    return this.run(middleware, packet, answer, () => acked);
  }

  /** Sends an event without an ack. */
  async fire(event: string, payload: unknown): Promise<Outcome> {
    const middleware = this.middleware;
    if (!middleware) throw new Error('the gate is not attached');
    return this.run(middleware, [event, payload], { ok: true, data: {} }, () => undefined);
  }

  private async run(
    middleware: Middleware,
    packet: unknown[],
    answer: Envelope<unknown>,
    acked: () => Envelope<unknown> | undefined,
  ): Promise<Outcome> {
    const state = { passed: false };
    middleware(packet, () => {
      state.passed = true;
      const ack = packet.at(-1);
      if (typeof ack === 'function') (ack as (e: Envelope<unknown>) => void)(answer);
    });
    await new Promise((resolve) => setImmediate(resolve));
    const envelope = acked();
    if (state.passed) return 'passed';
    if (envelope === undefined) return 'dropped';
    return envelope.ok ? 'ok?' : envelope.error.code;
  }
}

function sessionOf(who: Actor): SocketSession {
  return {
    publicKey: who.publicKey,
    isRoot: who.isRoot,
    member: { publicKey: who.publicKey, displayName: who.publicKey, roles: who.roles, joinedAt: new Date(0) },
  };
}

function setup(store?: RateLimitStore) {
  const clock = { now: 1_000_000 };
  const memory = new MemoryRateLimitStore({ now: () => clock.now, sweepIntervalMs: 0 });
  const { config, policy } = samplePolicy(TOML);
  const cooldown = new FloodCooldown();
  // The refusal scores decay with time: the test's clock stands still unless a test moves it.
  const gate = new (class extends RequestGate {
    protected override now(): number {
      return clock.now;
    }
  })(store ?? memory, config, policy, cooldown);
  let sockets = 0;
  const open = (session: SocketSession) => {
    const socket = new FakeSocket(`socket-${++sockets}`, { session });
    gate.attach(socket as unknown as MpqchtSocket);
    return socket;
  };
  return { clock, open, cooldown };
}

const typing: [string, unknown[]] = ['typing.start', [{ channelId: 'lobby' }]];
const refusedAs = (code: ErrorCode): Envelope<unknown> => ({ ok: false, error: { code, message: code } });

async function repeat(times: number, action: () => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < times; i++) outcomes.push(await action());
  return outcomes;
}

describe('RequestGate', () => {
  it("holds a key to its burst across all of the key's sockets, and refills at the rate", async () => {
    const { open, clock } = setup();
    const session = sessionOf(actor('plain'));
    const [a, b] = [open(session), open({ ...session })];
    const outcomes = await repeat(20, () => a.send(...typing));
    expect(outcomes.every((o) => o === 'passed')).toBe(true);
    // A second socket of the same key does not bring a second budget.
    expect(await b.send(...typing)).toBe('rate_limited');
    // Another key has its own.
    expect(await open(sessionOf(actor('other'))).send(...typing)).toBe('passed');
    clock.now += 1000;
    expect(await b.send(...typing)).toBe('passed');
    expect(await a.send(...typing)).toBe('rate_limited');
  });

  it('charges refused requests too: unknown events, extra arguments, events without an ack', async () => {
    const { open } = setup();
    const socket = open(sessionOf(actor('plain')));
    expect(await socket.send('admin.everything', [{}])).toBe('unknown_event');
    // Socket.IO lets a client name an event with a number: refused, not a TypeError.
    expect(await socket.send(42, [{}])).toBe('unknown_event');
    expect(await socket.send('typing.start', [{ channelId: 'lobby' }, 'extra'])).toBe('validation_failed');
    // No ack: not a request, dropped without reaching a handler, but it drew a token.
    expect(await socket.fire('typing.start', { channelId: 'lobby' })).toBe('dropped');
    const left = await repeat(20, () => socket.send(...typing));
    expect(left.filter((o) => o === 'passed')).toHaveLength(16);
  });

  it('slows a socket that keeps being refused, then disconnects it with session.ended', async () => {
    const { open, cooldown, clock } = setup();
    const fast = open(sessionOf(actor('prober', 'fast')));
    // Refusals by the handler (forbidden, not_found) count as they go out through the ack.
    const refused = await repeat(SLOW_FROM_SCORE, () => fast.send(...typing, refusedAs('forbidden')));
    expect(refused.every((o) => o === 'passed')).toBe(true);
    // Slowed: each request now takes SLOWED_COST tokens of the 40 - 10 left.
    const slowed = await repeat(10, () => fast.send(...typing, refusedAs('not_found')));
    expect(slowed.filter((o) => o === 'passed')).toHaveLength(Math.floor(30 / SLOWED_COST));
    expect(fast.connected).toBe(true);
    // Keeps going: over its budget every time, until the score passes the limit.
    await repeat(DISCONNECT_ABOVE_SCORE, () => fast.send(...typing));
    expect(fast.connected).toBe(false);
    expect(fast.pushes.map((p) => p.event)).toEqual(['session.ended']);
    expect(fast.pushes[0]?.payload).toMatchObject({ reason: 'flooding' });
    // Its key may not come back at once (the handshake asks the cooldown).
    expect(() => {
      cooldown.check('key-of-prober', clock.now);
    }).toThrow(/wait before reconnecting/);
    expect(() => {
      cooldown.check('key-of-someone-else', clock.now);
    }).not.toThrow();
  });

  it("does not count the server's own errors, or its load shedding, against the client", async () => {
    const { open } = setup();
    const socket = open(sessionOf(actor('unlucky', 'fast')));
    for (const code of [
      'internal_error',
      'database_unavailable',
      'server_restarting',
      'rate_limited',
    ] as const) {
      await repeat(3, () => socket.send(...typing, refusedAs(code)));
    }
    // 12 such answers, more than SLOW_FROM_SCORE, yet not slowed: each of the 28 tokens left of
    // the 40 still lets one request through.
    expect(12).toBeGreaterThan(SLOW_FROM_SCORE);
    const rest = await repeat(28, () => socket.send(...typing));
    expect(rest.every((o) => o === 'passed')).toBe(true);
    expect(await socket.send(...typing)).toBe('rate_limited');
  });

  it("sizes the bucket from the member's roles, and follows a role change", async () => {
    const { open } = setup();
    const session = sessionOf(actor('quick', 'fast'));
    const socket = open(session);
    const first = await repeat(30, () => socket.send(...typing));
    expect(first.every((o) => o === 'passed')).toBe(true);
    // 10 tokens left of 40; without the role the bucket holds at most 20 (and keeps the 10).
    if (session.member) session.member = { ...session.member, roles: [] };
    const after = await repeat(11, () => socket.send(...typing));
    expect(after.filter((o) => o === 'passed')).toHaveLength(10);
    expect(await open(sessionOf(ROOT)).send(...typing)).toBe('passed');
  });

  it('fails closed for writes and open for reads when the store is unreachable', async () => {
    const down: RateLimitStore = {
      take: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      slowmode: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      spend: () => Promise.reject(new RateLimitStoreUnavailable('down')),
    };
    const { open } = setup(down);
    const socket = open(sessionOf(actor('plain')));
    for (const event of ['messages.send', 'messages.edit', 'typing.start']) {
      expect(await socket.send(event, [{}])).toBe('rate_limited');
    }
    expect(await socket.send('messages.history', [{ channelId: 'lobby' }])).toBe('passed');
  });
});
