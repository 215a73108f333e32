import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';

import type { Envelope } from '@mpqcht/protocol';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import {
  connect,
  connectRefused,
  nextPush,
  ok,
  rawRequest,
  request,
  type TestSocket,
  waitForDisconnect,
} from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SLOWMODE_MS = 1500;
const BURST = 5;

/**
 * `slow` has a slowmode; members get a small flood bucket that barely refills (one token per
 * 10 s), so a test can count exactly what a burst lets through. Roots get the most generous bucket
 * (the `bulk` role's), so setting up members is not limited. The per-IP limits are `perIp`.
 */
function configToml(
  rootKey: string,
  perIp = 'challenges_per_minute = 1000000\nchallenge_burst = 100000\nfailed_logins_per_minute = 1000000',
): string {
  return `
[server]
name = "rate limits"
root_keys = ["${rootKey}"]

[limits]
burst = ${BURST}
rate_per_second = 0.1
${perIp}

[[roles]]
id = "bulk"
name = "Bulk"
limits = { burst = 1000, rate_per_second = 1000 }

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "slow"
name = "slow"
group = "general"
default_permissions = { slowmode_ms = ${SLOWMODE_MS} }

[[channels]]
id = "flood"
name = "flood"
group = "general"
`;
}

interface Members {
  readonly root: TestIdentity;
  readonly alice: TestIdentity;
  readonly bob: TestIdentity;
}

const sockets: TestSocket[] = [];
async function open(api: ApiProcess, identity: TestIdentity): Promise<TestSocket> {
  const socket = await connect(api, identity);
  sockets.push(socket);
  return socket;
}

/** Each api's root socket (roots have the generous `bulk` bucket), to admit fresh members. */
const roots = new Map<ApiProcess, TestSocket>();

/** The root authorizes alice and bob through `api`; all three join. */
async function joinMembers(api: ApiProcess, members: Members): Promise<void> {
  const root = await connect(api, members.root);
  roots.set(api, root);
  await ok(root, 'member.join', { displayName: 'Root' });
  for (const [identity, name] of [
    [members.alice, 'Alice'],
    [members.bob, 'Bob'],
  ] as const) {
    await ok(root, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [] });
    await ok(await open(api, identity), 'member.join', { displayName: name });
  }
}

function sendTo(socket: TestSocket, channelId: string, content = 'hi') {
  return request(socket, 'messages.send', { channelId, clientId: randomUUID(), content });
}

function retryAfterOf(envelope: Envelope<unknown>): number {
  if (envelope.ok) throw new Error('expected a refusal');
  expect(envelope.error.code).toBe('rate_limited');
  const retryAfterMs = envelope.error.details?.['retryAfterMs'];
  if (typeof retryAfterMs !== 'number') throw new Error('no details.retryAfterMs');
  expect(retryAfterMs).toBeGreaterThan(0);
  return retryAfterMs;
}

/** Waits as long as the server said, then sends again until accepted (bounded). */
async function sendAfterWaiting(socket: TestSocket, channelId: string, retryAfterMs: number) {
  let wait = retryAfterMs;
  for (let attempt = 0; attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    const envelope = await sendTo(socket, channelId, 'after waiting');
    if (envelope.ok) return envelope.data;
    wait = retryAfterOf(envelope);
  }
  throw new Error('still refused after waiting as told');
}

async function countMessages(api: ApiProcess, channelId: string, author: string): Promise<number> {
  const db = new Client({ connectionString: api.databaseUrl() });
  await db.connect();
  try {
    const result = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM messages WHERE channel_id = $1 AND author_key = $2',
      [channelId, author],
    );
    return Number(result.rows[0]?.n);
  } finally {
    await db.end();
  }
}

/**
 * A member no test has used yet, so its key's budget is whole: authorized by the root, joined
 * through its first socket (which takes one token: every request draws from the key's budget).
 */
async function freshMember(api: ApiProcess): Promise<{ identity: TestIdentity; socket: TestSocket }> {
  const root = roots.get(api);
  if (!root) throw new Error('no root socket for this api');
  const identity = await newIdentity();
  await ok(root, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [] });
  const socket = await open(api, identity);
  await ok(socket, 'member.join', { displayName: `m ${identity.publicKey.hex.slice(2, 12)}` });
  return { identity, socket };
}

async function newMembers(): Promise<Members> {
  const [root, alice, bob] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
  return { root, alice, bob };
}

afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});

afterAll(() => {
  roots.forEach((s) => s.close());
});

describe('rate limits (in memory)', () => {
  let api: ApiProcess;
  let m: Members;

  beforeAll(async () => {
    m = await newMembers();
    api = await startApi({ configToml: configToml(m.root.publicKey.hex) });
    await joinMembers(api, m);
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('slowmode refuses the second message inside the window and accepts it after waiting', async () => {
    const alice = await open(api, m.alice);
    const first = await sendTo(alice, 'slow');
    expect(first.ok).toBe(true);
    const second = await sendTo(alice, 'slow');
    const retryAfterMs = retryAfterOf(second);
    expect(retryAfterMs).toBeLessThanOrEqual(SLOWMODE_MS);
    // Another member is not slowed by alice's window.
    const bob = await open(api, m.bob);
    expect((await sendTo(bob, 'slow')).ok).toBe(true);
    const third = await sendAfterWaiting(alice, 'slow', retryAfterMs);
    expect(third.content).toBe('after waiting');
    expect(await countMessages(api, 'slow', m.alice.publicKey.hex)).toBe(2);
  });

  it("holds a flooding connection to its budget while another client's sends keep working", async () => {
    const flooder = await freshMember(api);
    const bob = await open(api, m.bob);
    const floods = Array.from({ length: 4 * BURST }, (_, i) => sendTo(flooder.socket, 'flood', `flood ${i}`));
    const bobs = Array.from({ length: 3 }, (_, i) => sendTo(bob, 'flood', `bob ${i}`));
    const [floodResults, bobResults] = await Promise.all([Promise.all(floods), Promise.all(bobs)]);

    // The key's budget less the token member.join took.
    expect(floodResults.filter((e) => e.ok)).toHaveLength(BURST - 1);
    floodResults.filter((e) => !e.ok).forEach(retryAfterOf);
    expect(bobResults.every((e) => e.ok)).toBe(true);
    expect(await countMessages(api, 'flood', flooder.identity.publicKey.hex)).toBe(BURST - 1);
    expect(await countMessages(api, 'flood', m.bob.publicKey.hex)).toBe(3);
  });

  it('charges refused requests to the budget: forbidden, not_found, unknown and malformed ones', async () => {
    const prober = await freshMember(api);
    const probes: [string, unknown][] = [
      ['members.kick', { publicKey: m.bob.publicKey.hex }],
      ['messages.history', { channelId: 'no-such-channel' }],
      ['admin.everything', {}],
      ['messages.send', { channelId: 'flood' }],
    ];
    const codes: string[] = [];
    for (let i = 0; i < 2 * BURST; i++) {
      const [event, payload] = probes[i % probes.length] ?? ['admin.everything', {}];
      const envelope = await rawRequest(prober.socket, event, payload);
      codes.push(envelope.ok ? 'ok' : envelope.error.code);
    }
    expect(codes.slice(0, BURST - 1)).toEqual(
      ['forbidden', 'not_found', 'unknown_event', 'validation_failed'].slice(0, BURST - 1),
    );
    expect(codes.slice(BURST - 1)).toEqual(Array.from({ length: BURST + 1 }, () => 'rate_limited'));
    // The budget is gone for real requests too.
    retryAfterOf(await sendTo(prober.socket, 'flood'));
    expect(await countMessages(api, 'flood', prober.identity.publicKey.hex)).toBe(0);
  });

  it("shares one key's budget among all of its sockets", async () => {
    const member = await freshMember(api);
    const more = [await open(api, member.identity), await open(api, member.identity)];
    const sockets = [member.socket, ...more];
    const floods = await Promise.all(
      sockets.flatMap((socket) => Array.from({ length: 2 * BURST }, () => sendTo(socket, 'flood'))),
    );
    expect(floods.filter((e) => e.ok)).toHaveLength(BURST - 1);
    expect(await countMessages(api, 'flood', member.identity.publicKey.hex)).toBe(BURST - 1);
  });

  it('disconnects a connection that keeps sending refused requests, with session.ended', async () => {
    const flooder = await freshMember(api);
    const ended = nextPush(flooder.socket, 'session.ended', 10_000);
    const gone = waitForDisconnect(flooder.socket, 10_000);
    const emit = flooder.socket.emit.bind(flooder.socket) as (event: string, ...args: unknown[]) => void;
    // Far more than a client that waits as it is told would ever send while refused.
    for (let i = 0; i < 1_000; i++) emit('admin.everything', {}, () => undefined);
    expect(await ended).toMatchObject({ reason: 'flooding' });
    expect(await gone).toBe('io server disconnect');
    // It may not come straight back to flood again: the key cools down first.
    const again = await connectRefused(api, await loginProof(flooder.identity, api.url, api.origin));
    expect(again.data?.code).toBe('rate_limited');
    expect(again.data?.details?.['retryAfterMs']).toBeGreaterThan(0);
    // Others are not affected.
    const other = await freshMember(api);
    expect((await sendTo(other.socket, 'flood', 'still here')).ok).toBe(true);
  });
});

describe('connections per key', () => {
  let api: ApiProcess;
  let m: Members;

  beforeAll(async () => {
    m = await newMembers();
    api = await startApi({
      configToml: configToml(
        m.root.publicKey.hex,
        'challenges_per_minute = 1000000\nchallenge_burst = 100000\nfailed_logins_per_minute = 1000000\nconnections_per_key = 3',
      ),
    });
    await joinMembers(api, m);
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('refuses a handshake beyond connections_per_key with too_many_connections, and admits it once one closed', async () => {
    // alice's socket from joinMembers is the first.
    const second = await open(api, m.alice);
    await open(api, m.alice);
    const refused = await connectRefused(api, await loginProof(m.alice, api.url, api.origin));
    expect(refused.data?.code).toBe('too_many_connections');
    expect(refused.data?.details?.['max']).toBe(3);
    expect(refused.data?.details?.['retryAfterMs']).toBeGreaterThan(0);
    // Other keys are not affected.
    expect((await open(api, m.bob)).connected).toBe(true);
    second.close();
    let admitted: TestSocket | undefined;
    for (let attempt = 0; attempt < 20 && !admitted; attempt++) {
      admitted = await open(api, m.alice).catch(() => undefined);
      if (!admitted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(admitted?.connected).toBe(true);
  });
});

describe('per-IP limits', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    const root = await newIdentity();
    api = await startApi({
      configToml: configToml(
        root.publicKey.hex,
        'challenges_per_minute = 1\nchallenge_burst = 3\nfailed_logins_per_minute = 3',
      ),
    });
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('answers 429 with the rate_limited envelope once an address used its challenges', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${api.url}/api/auth/challenge`, { method: 'POST' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const body = (await last?.json()) as Envelope<unknown>;
    if (body.ok) throw new Error('the challenge was not refused');
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/challenges/);
    expect(body.error.details?.['retryAfterMs']).toBeGreaterThan(0);
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses the handshake with rate_limited once an address used its failed logins', async () => {
    const identity = await newIdentity();
    const attempt = () =>
      connectRefused(api, {
        publicKey: identity.publicKey.hex,
        nonce: randomBytes(32).toString('hex'),
        signature: randomBytes(64).toString('hex'),
      });
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) codes.push((await attempt()).data?.code);
    expect(codes).toEqual(['challenge_unknown', 'challenge_unknown', 'challenge_unknown']);
    const refused = await attempt();
    expect(refused.data?.code).toBe('rate_limited');
    expect(refused.data?.details?.['retryAfterMs']).toEqual(expect.any(Number));
  });
});

describe('rate limits in Redis', () => {
  const prefix = `mpqcht-e2e-${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let a: ApiProcess;
  let b: ApiProcess | undefined;
  let m: Members;

  beforeAll(async () => {
    await redis.connect();
    m = await newMembers();
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
    a = await startApi({ configToml: configToml(m.root.publicKey.hex), env });
    b = await startApi({ configToml: configToml(m.root.publicKey.hex), env, databaseUrl: a.databaseUrl() });
    await joinMembers(a, m);
  });

  afterAll(async () => {
    await b?.dispose();
    await a.dispose();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shares slowmode between processes: a window set through A refuses a send through B', async () => {
    if (!b) throw new Error('no second process');
    const throughA = await open(a, m.alice);
    const throughB = await open(b, m.alice);
    expect((await sendTo(throughA, 'slow')).ok).toBe(true);
    const retryAfterMs = retryAfterOf(await sendTo(throughB, 'slow'));
    expect(retryAfterMs).toBeLessThanOrEqual(SLOWMODE_MS);
    await sendAfterWaiting(throughB, 'slow', retryAfterMs);
    expect(await countMessages(a, 'slow', m.alice.publicKey.hex)).toBe(2);
  });

  it('holds a key to one budget across its sockets on both processes, keeps keys in Redis with TTLs', async () => {
    if (!b) throw new Error('no second process');
    const flooder = await freshMember(a);
    const throughB = await open(b, flooder.identity);
    const bob = await open(a, m.bob);
    const floods = await Promise.all(
      [flooder.socket, throughB].flatMap((socket) =>
        Array.from({ length: 3 * BURST }, (_, i) => sendTo(socket, 'flood', `flood ${i}`)),
      ),
    );
    // The key's budget less the token member.join took, whichever process the sockets are on.
    expect(floods.filter((e) => e.ok)).toHaveLength(BURST - 1);
    expect((await sendTo(bob, 'flood')).ok).toBe(true);
    expect(await countMessages(a, 'flood', flooder.identity.publicKey.hex)).toBe(BURST - 1);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    // -1 would be a key kept forever (the bug this guards against); -2 is a key that expired
    // between KEYS and PTTL, which is the TTL doing its work.
    const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
    expect(ttls).not.toContain(-1);
    expect(ttls.some((ttl) => ttl > 0)).toBe(true);
  });
});

describe('rate limits with Redis unreachable', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    const root = await newIdentity();
    const port = await freePort();
    api = await startApi({
      configToml: configToml(root.publicKey.hex),
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('fails closed: challenges and logins are refused with rate_limited, and it is logged', async () => {
    const response = await fetch(`${api.url}/api/auth/challenge`, { method: 'POST' });
    expect(response.status).toBe(429);
    const body = (await response.json()) as Envelope<unknown>;
    expect(body.ok ? undefined : body.error.details).toEqual({ retryAfterMs: 1000 });
    const refused = await connectRefused(api, { publicKey: '00', nonce: '00', signature: '00' });
    expect(refused.data?.code).toBe('rate_limited');
    expect(api.output()).toMatch(/WARN.*rate-limit store is unavailable|WARN.*Redis/);
  });
});
