import { randomUUID } from 'node:crypto';

import type { MessageDto } from '@mpqcht/protocol';
import {
  type ApiOptions,
  type ApiProcess,
  defaultConfig,
  freePort,
  serverUrl,
  startApi,
  withClient,
} from '@mpqcht/test-harness';

import { CatchUpReceiver } from './support/catch-up-client';
import { connect, ok } from './support/client';
import { newIdentity, type TestIdentity } from './support/identity';
import { extraChannels } from './support/joined-members';
import { stopLeftoverPostmasters } from './support/postmaster';
import {
  type Answer,
  ReconnectingClient,
  type ServerAddress,
  type ServerLife,
} from './support/reconnecting-client';
import { ReliableSender } from './support/reliable-sender';
import { lockChannel } from './support/row-lock';

/**
 * Delivery across crashes and restarts (issue 8): an api at a fixed address is SIGKILLed and
 * restarted on the same database while members send at a steady rate and others read. Senders
 * retry unacked sends with the same clientId; receivers apply pushes de-duplicated by rev and catch
 * up with `messages.since` at every connect and at every gap. Afterwards the database, every ack and
 * every receiver agree: each message stored once, seqs and revs 1..N per channel, nothing missing,
 * nothing applied twice. A thread (issue 16), started on a message of alpha before the first
 * crash, is one more stream: senders send into `thread:<id>` and receivers read it exactly as they
 * do a channel, and it gets the same checks. A graceful stop (SIGTERM) drains: in-flight sends are
 * acked, later requests answered `server_restarting`, every socket told `server.restarting` before
 * it closes.
 */

const CHANNELS = ['alpha', 'beta', 'gamma'] as const;
const SEND_INTERVAL_MS = 20;
/** Acks each sender must get from a process before the test interrupts it (and after the last). */
const ACKS_PER_ROUND = 15;
/** Receivers read `messages.since` in small pages, so catching up takes several. */
const RECEIVER_PAGE_SIZE = 50;

type Interruption = 'kill' | 'kill-while-committing' | 'term';

interface StoredRow {
  id: string;
  channel_id: string;
  seq: string;
  rev: string;
  author_key: string;
  client_id: string;
}

/** How the connections of `client` to process `instance` ended, for comparison with `DRAINED_ENDING`. */
function endingsOf(client: ReconnectingClient, instance: number) {
  return client.endings
    .filter((e) => e.instance === instance)
    .map((e) => ({ reason: e.reason, reconnectAfterMs: typeof e.restarting?.reconnectAfterMs }));
}

/** One connection, told `server.restarting` (with a delay) before the transport closed. */
const DRAINED_ENDING = { reason: 'transport close', reconnectAfterMs: 'number' };

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(failure));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Each sender starts at another stream, so every stream gets sends from every sender. */
function rotated(streams: readonly string[], i: number): string[] {
  return streams.map((_, k) => streams[(i + k) % streams.length] ?? 'alpha');
}

describe('delivery across crashes and restarts', () => {
  const life: ServerLife = { instance: 0, gate: Promise.resolve() };
  const apis: ApiProcess[] = [];
  /** Every sender of this file: the database must hold nothing but messages they tried to send. */
  const allSenders: ReliableSender[] = [];
  const open: { close(): void }[] = [];
  let configToml: string;
  let port: number;
  let address: ServerAddress;
  let first: ApiProcess;
  let current: ApiProcess;
  let senderKeys: TestIdentity[];
  let receiverKeys: TestIdentity[];
  /** The thread's stream id, `thread:<id>`: started on a message of alpha in `beforeAll`. */
  let threadStream: string;

  /** Every message stream of the test: the channels and the thread. */
  function streams(): string[] {
    return [...CHANNELS, threadStream];
  }

  /** The first process's database (DATABASE_URL set) or DATA_DIR (embedded PostgreSQL), reused. */
  function sameData(): Partial<ApiOptions> {
    return serverUrl() ? { databaseUrl: first.databaseUrl() } : { dataDir: first.dataDir };
  }

  /**
   * Starts the next api process at the same address on the same data. Clients may log in to it
   * only once it has been looked at: returns each stream's head rev before anyone could send,
   * i.e. what the earlier processes committed. (With the embedded PostgreSQL a stopped api has
   * stopped its database too, so this is the first moment it can be read.)
   */
  async function restart(): Promise<Map<string, number>> {
    let openGate: () => void = () => undefined;
    life.gate = new Promise<void>((resolve) => (openGate = resolve));
    life.instance += 1;
    try {
      current = await startApi({ configToml, port, ...sameData() });
      apis.push(current);
      return await heads();
    } finally {
      openGate();
    }
  }

  async function ensureRunning(): Promise<void> {
    if (current.child.exitCode === null && current.child.signalCode === null) return;
    await restart();
  }

  function query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return withClient(current.databaseUrl(), async (db) => (await db.query<T>(sql, params)).rows);
  }

  async function heads(channelIds: readonly string[] = streams()): Promise<Map<string, number>> {
    const rows = await query<{ channel_id: string; last_rev: string }>(
      'SELECT channel_id, last_rev FROM channel_sequences WHERE channel_id = ANY($1)',
      [[...channelIds]],
    );
    return new Map(channelIds.map((c) => [c, Number(rows.find((r) => r.channel_id === c)?.last_rev ?? 0)]));
  }

  function track<T extends { close(): void }>(client: T): T {
    open.push(client);
    return client;
  }

  function closeAll(): void {
    open.splice(0).forEach((client) => {
      client.close();
    });
  }

  beforeAll(async () => {
    const root = await newIdentity();
    senderKeys = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
    receiverKeys = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
    configToml = defaultConfig([root.publicKey.hex], extraChannels(CHANNELS));
    port = await freePort();
    first = await startApi({ configToml, port });
    current = first;
    apis.push(first);
    address = { url: first.url, origin: first.origin };
    const admin = await connect(first, root);
    try {
      await ok(admin, 'member.join', { displayName: 'Root' });
      const members = [...senderKeys, ...receiverKeys];
      for (const [i, key] of members.entries()) {
        await ok(admin, 'members.authorize', { publicKey: key.publicKey.hex, roles: [] });
        const socket = await connect(first, key);
        await ok(socket, 'member.join', {
          displayName: i < senderKeys.length ? `Sender ${i}` : `Reader ${i}`,
        });
        socket.close();
      }
    } finally {
      admin.close();
    }
    // The thread grows from a message of alpha, sent by a ReliableSender of this file (the database
    // must hold nothing but their sends).
    const [starterKey] = senderKeys;
    if (!starterKey) throw new Error('no keys');
    const starter = new ReliableSender('thread starter', address, starterKey, life).start();
    allSenders.push(starter);
    try {
      const parent = starter.send('alpha');
      await starter.settled();
      const messageId = parent.acks[0]?.id;
      if (!messageId) throw new Error(`the thread's parent was not sent: ${starter.failures.join('; ')}`);
      const created = await starter.client.request('threads.create', {
        channelId: 'alpha',
        messageId,
        name: 'through the crashes',
      });
      if (created.kind !== 'ok') throw new Error(`threads.create: ${JSON.stringify(created)}`);
      threadStream = created.data.streamId;
    } finally {
      starter.close();
    }
  });

  afterAll(async () => {
    closeAll();
    // The later processes first: the first one owns the database (or DATA_DIR) and removes it.
    for (const api of apis.slice(1).reverse()) await api.dispose();
    if (!serverUrl()) await stopLeftoverPostmasters(first.dataDir);
    await first.dispose();
  });

  /**
   * Senders send at a steady rate while the api is interrupted once per entry of `interruptions`
   * and restarted at the same address; returns when every send is acked and every receiver holds
   * the database's head of every stream (the channels and the thread).
   */
  async function traffic(interruptions: readonly Interruption[]) {
    const senders = senderKeys.map((key, i) => track(new ReliableSender(`sender ${i}`, address, key, life)));
    allSenders.push(...senders);
    const receivers = receiverKeys.map((key, i) =>
      track(new CatchUpReceiver(`receiver ${i}`, address, key, life, streams(), RECEIVER_PAGE_SIZE)),
    );
    receivers.forEach((r) => r.start());
    senders.forEach((s) => s.start());
    const stops = senders.map((s, i) => s.steady(rotated(streams(), i), SEND_INTERVAL_MS));
    const exitCodes = new Map<number, number | null>();
    /** Each stream's head rev once an interrupted process has gone: what it committed. */
    const headsAtExit = new Map<number, Map<string, number>>();
    /** The instance each interruption ended, in order. */
    const interrupted: number[] = [];
    try {
      const steadyOnCurrent = async () => {
        // Everyone is connected to the running process, then it takes a steady share of sends.
        const clients = [...senders.map((s) => s.client), ...receivers.map((r) => r.client)];
        await withTimeout(
          Promise.all(clients.map((client) => client.connectedTo(life.instance))),
          15_000,
          `not every client reconnected to process ${life.instance}`,
        );
        await Promise.all(senders.map((s) => s.whenAcked(s.acked + ACKS_PER_ROUND)));
      };
      for (const interruption of interruptions) {
        await steadyOnCurrent();
        const instance = life.instance;
        interrupted.push(instance);
        if (interruption === 'kill-while-committing') {
          // Sends to alpha wait for the lock in the database when the api dies; they commit after
          // its death, so nobody acks or pushes them: senders learn on retry, receivers on catch-up.
          const lock = await lockChannel(current.databaseUrl(), 'alpha');
          try {
            await lock.waiters(1);
            await current.kill();
          } finally {
            await lock.release({ drain: true });
          }
        } else if (interruption === 'kill') {
          await current.kill();
        } else {
          exitCodes.set(instance, await current.stop());
        }
        headsAtExit.set(instance, await restart());
      }
      await steadyOnCurrent();
    } finally {
      stops.forEach((stop) => {
        stop();
      });
    }
    await Promise.all(senders.map((s) => s.settled()));
    const reached = await heads();
    await Promise.all(receivers.map((r) => r.reach(reached)));
    return { senders, receivers, exitCodes, headsAtExit, interrupted };
  }

  /** Every ack, the database and every receiver agree (see the file's comment). */
  async function expectConsistent(senders: ReliableSender[], receivers: CatchUpReceiver[]): Promise<void> {
    expect(senders.flatMap((s) => s.failures)).toEqual([]);
    const rows = await query<StoredRow>(
      `SELECT id, channel_id, seq, rev, author_key, client_id FROM messages
       WHERE channel_id = ANY($1) ORDER BY channel_id, seq`,
      [streams()],
    );
    const sequences = await query<{ channel_id: string; last_seq: string; last_rev: string }>(
      'SELECT channel_id, last_seq, last_rev FROM channel_sequences WHERE channel_id = ANY($1)',
      [streams()],
    );
    for (const channelId of streams()) {
      const here = rows.filter((r) => r.channel_id === channelId);
      // Only sends here: seqs and revs are both 1..N, gap-free, each taken once.
      expect({ channelId, seqs: here.map((r) => Number(r.seq)) }).toEqual({
        channelId,
        seqs: oneToN(here.length),
      });
      expect({ channelId, revs: here.map((r) => Number(r.rev)).sort((a, b) => a - b) }).toEqual({
        channelId,
        revs: oneToN(here.length),
      });
      expect(sequences.find((s) => s.channel_id === channelId)).toEqual({
        channel_id: channelId,
        last_seq: String(here.length),
        last_rev: String(here.length),
      });
    }

    // Nothing is stored twice, nor anything nobody sent; every message these senders attempted is
    // stored exactly once (none missing), as every ack of it said, retries included.
    const byClient = new Map(rows.map((r) => [`${r.author_key}/${r.client_id}`, r]));
    expect(byClient.size).toBe(rows.length);
    const attempted = new Set(
      allSenders.flatMap((s) => s.attempts.map((a) => `${s.client.identity.publicKey.hex}/${a.clientId}`)),
    );
    expect(rows.filter((r) => !attempted.has(`${r.author_key}/${r.client_id}`))).toEqual([]);
    const senderOf = new Map(senders.map((s) => [s, s.client.identity.publicKey.hex]));
    const mismatches: string[] = [];
    for (const sender of senders) {
      for (const attempt of sender.attempts) {
        const row = byClient.get(`${senderOf.get(sender) ?? ''}/${attempt.clientId}`);
        const stored = row && {
          id: row.id,
          channelId: row.channel_id,
          seq: Number(row.seq),
          rev: Number(row.rev),
          clientId: row.client_id,
        };
        if (!stored) mismatches.push(`${sender.name}: ${attempt.clientId} is not stored`);
        if (attempt.acks.length === 0) mismatches.push(`${sender.name}: ${attempt.clientId} was never acked`);
        for (const ack of attempt.acks) {
          const acked = {
            id: ack.id,
            channelId: ack.channelId,
            seq: ack.seq,
            rev: ack.rev,
            clientId: ack.clientId,
          };
          if (JSON.stringify(acked) !== JSON.stringify(stored)) {
            mismatches.push(
              `${sender.name}: ack ${JSON.stringify(acked)} but stored ${JSON.stringify(stored)}`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);

    // The thread's summary, kept by a trigger in each send's transaction, counts what is stored.
    const [summary] = await query<{ message_count: number }>(
      "SELECT message_count FROM threads WHERE 'thread:' || id = $1",
      [threadStream],
    );
    expect(summary?.message_count).toBe(rows.filter((r) => r.channel_id === threadStream).length);

    // Every receiver holds every message of every stream, once, as stored.
    for (const receiver of receivers) {
      expect({ receiver: receiver.name, anomalies: receiver.anomalies }).toEqual({
        receiver: receiver.name,
        anomalies: [],
      });
      for (const channelId of streams()) {
        const here = rows.filter((r) => r.channel_id === channelId);
        const held = receiver.messages(channelId).map((m) => [m.id, m.seq, m.rev, m.clientId, m.deleted]);
        expect({
          receiver: receiver.name,
          channelId,
          appliedTwice: receiver.appliedTwice(channelId),
        }).toEqual({
          receiver: receiver.name,
          channelId,
          appliedTwice: [],
        });
        expect({ receiver: receiver.name, channelId, held }).toEqual({
          receiver: receiver.name,
          channelId,
          held: here.map((r) => [r.id, Number(r.seq), Number(r.rev), r.client_id, false]),
        });
      }
    }
  }

  it('stores every message once and keeps every receiver in step through three SIGKILLs', async () => {
    try {
      const { senders, receivers, interrupted, headsAtExit } = await traffic([
        'kill',
        'kill-while-committing',
        'kill',
      ]);
      await expectConsistent(senders, receivers);

      // Sends stored by a process that died before it acked them: their retry on the next process
      // answered the stored message (checked above), and receivers had them from a catch-up. The
      // sends that waited for the lock in the database when the api died are such sends, always.
      const committedUnacked = (instance: number | undefined) =>
        senders
          .flatMap((s) => s.attempts)
          .filter((a) => a.tries.some((t) => t.instance === instance && t.outcome === 'lost'))
          .filter(
            (a) => (a.acks[0]?.rev ?? Infinity) <= (headsAtExit.get(instance ?? -1)?.get(a.channelId) ?? 0),
          );
      expect(committedUnacked(interrupted[1]).length).toBeGreaterThan(0);
      // The thread was sent into on every process, before and after each kill (acks came from each).
      const threadAckedBy = senders
        .flatMap((s) => s.attempts)
        .filter((a) => a.channelId === threadStream)
        .flatMap((a) => a.tries.filter((t) => t.outcome === 'ok').map((t) => t.instance));
      expect([...new Set(threadAckedBy)].sort((x, y) => x - y)).toEqual([...interrupted, life.instance]);
      for (const receiver of receivers) expect(receiver.stats.caughtUp).toBeGreaterThan(0);
    } finally {
      closeAll();
    }
  });

  it('drains on SIGTERM under steady traffic: answered sends, server.restarting before every close, exit 0', async () => {
    await ensureRunning();
    try {
      const drained = life.instance;
      const { senders, receivers, exitCodes, headsAtExit } = await traffic(['term']);
      expect(exitCodes.get(drained)).toBe(0);
      // Every send the draining process committed was acked by it: none of them lost its answer
      // (to be learnt only from a retry). Sends it never read may be lost, and are retried.
      const committed = headsAtExit.get(drained);
      const unanswered = senders.flatMap((s) =>
        s.attempts
          .filter((a) => a.tries.some((t) => t.instance === drained && t.outcome === 'lost'))
          .filter((a) => (a.acks[0]?.rev ?? Infinity) <= (committed?.get(a.channelId) ?? 0))
          .map((a) => `${s.name}: ${a.clientId} (rev ${a.acks[0]?.rev ?? '?'} in ${a.channelId})`),
      );
      expect(unanswered).toEqual([]);
      // Every socket heard server.restarting before its connection ended, by transport close.
      for (const client of [...senders.map((s) => s.client), ...receivers.map((r) => r.client)]) {
        expect(endingsOf(client, drained)).toEqual([DRAINED_ENDING]);
      }
      await expectConsistent(senders, receivers);
    } finally {
      closeAll();
    }
  });

  it('on SIGTERM refuses new work, finishes and acks the send in flight, then says server.restarting', async () => {
    await ensureRunning();
    const [senderKey] = senderKeys;
    const [watcherKey] = receiverKeys;
    if (!senderKey || !watcherKey) throw new Error('no keys');
    const sender = track(new ReconnectingClient(address, senderKey, life).start());
    const watcher = track(new CatchUpReceiver('watcher', address, watcherKey, life, ['alpha']).start());
    const events: { event: string; clientId?: string }[] = [];
    watcher.client.socket.onAny((event: string, payload: { clientId?: string }) => {
      events.push({ event, ...(payload.clientId ? { clientId: payload.clientId } : {}) });
    });
    try {
      await sender.ready();
      const warmUp = await sender.request('messages.send', {
        channelId: 'alpha',
        clientId: randomUUID(),
        content: 'before the stop',
      });
      expect(warmUp.kind).toBe('ok');
      await watcher.reach(await heads(['alpha']));

      const drained = life.instance;
      const inFlightId = randomUUID();
      const refusedId = randomUUID();
      const lock = await lockChannel(current.databaseUrl(), 'alpha');
      let inFlight: Promise<Answer<MessageDto>> | undefined;
      let exited: Promise<number | null> | undefined;
      let inFlightAnswered = false;
      try {
        inFlight = sender.request(
          'messages.send',
          { channelId: 'alpha', clientId: inFlightId, content: 'in flight at SIGTERM' },
          30_000,
        );
        void inFlight.then(() => (inFlightAnswered = true));
        await lock.waiters(1);
        exited = current.stop();

        // Requests that arrive once the drain has started are refused with server_restarting.
        let probe: Answer<unknown> = { kind: 'lost' };
        for (let i = 0; i < 250; i += 1) {
          probe = await sender.request('session.get', {});
          if (probe.kind !== 'ok') break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(probe).toMatchObject({ kind: 'error', code: 'server_restarting' });
        expect(
          await sender.request('messages.send', {
            channelId: 'alpha',
            clientId: refusedId,
            content: 'too late',
          }),
        ).toMatchObject({ kind: 'error', code: 'server_restarting' });
        // No new connection is accepted.
        await expect(connect(current, senderKey)).rejects.toBeDefined();
        // The send in flight still waits in the database, so nobody has been told to go yet.
        expect(inFlightAnswered).toBe(false);
        expect(watcher.client.draining).toBe(false);
        expect(sender.draining).toBe(false);
      } finally {
        await lock.release();
      }

      const answer = await inFlight;
      expect(answer).toMatchObject({ kind: 'ok', data: { clientId: inFlightId, channelId: 'alpha' } });
      expect(await exited).toBe(0);
      // The watcher got the in-flight message, then server.restarting, then the transport closed.
      const created = events.findIndex((e) => e.event === 'message.created' && e.clientId === inFlightId);
      const restarting = events.findIndex((e) => e.event === 'server.restarting');
      expect(created).toBeGreaterThanOrEqual(0);
      expect(restarting).toBeGreaterThan(created);
      for (const client of [sender, watcher.client]) {
        expect(endingsOf(client, drained)).toEqual([DRAINED_ENDING]);
      }

      // After the restart (the in-flight send is stored, the refused one is not) the refused send
      // succeeds on retry, and the watcher catches up.
      await restart();
      const stored = await query<{ client_id: string }>(
        'SELECT client_id FROM messages WHERE client_id = ANY($1::uuid[])',
        [[inFlightId, refusedId]],
      );
      expect(stored).toEqual([{ client_id: inFlightId }]);
      await sender.ready();
      const retried = await sender.request('messages.send', {
        channelId: 'alpha',
        clientId: refusedId,
        content: 'too late',
      });
      expect(retried).toMatchObject({ kind: 'ok', data: { clientId: refusedId } });
      await watcher.reach(await heads(['alpha']));
      expect(watcher.anomalies).toEqual([]);
      const held = watcher.messages('alpha');
      expect(held.filter((m) => m.clientId === inFlightId || m.clientId === refusedId)).toHaveLength(2);
      const rows = await query<{ id: string }>(
        "SELECT id FROM messages WHERE channel_id = 'alpha' ORDER BY seq",
      );
      expect(held.map((m) => m.id)).toEqual(rows.map((r) => r.id));
      expect(held.map((m) => m.seq)).toEqual(oneToN(rows.length));
    } finally {
      closeAll();
    }
  });
});
