import { randomUUID } from 'node:crypto';

import type { Envelope } from '@mpqcht/protocol';
import {
  type ApiProcess,
  createDatabase,
  defaultConfig,
  dropDatabase,
  serverUrl,
  startApi,
} from '@mpqcht/test-harness';

import { connect, connectRefused, ok, request, type TestSocket } from './support/client';
import { loginProof, newIdentity } from './support/identity';
import { lockChannel } from './support/row-lock';
import { startTcpProxy, type TcpProxy, throughProxy } from './support/tcp-proxy';

/**
 * Issue 12, point 7: while the api cannot reach its database, every request, handshake and HTTP
 * route that needs it answers `database_unavailable` with `retryAfterMs` (HTTP 503), the outage is
 * logged once when it starts and once when it ends (with what was refused), nothing else floods
 * the log, and the api serves again by itself once the database is back. The api reaches its
 * database through a TCP proxy that the test cuts.
 */

const STACK_LINE = /^ {4}at /m;
/** Content of sends made while the database is cut off: it must never reach the log. */
const SECRET = 'do-not-log-this-content';

interface Tally {
  requests: number;
  handshakes: number;
  http: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll(done: () => Promise<boolean> | boolean, failure: string): Promise<void> {
  for (let tries = 0; !(await done()); tries++) {
    if (tries >= 300) throw new Error(failure);
    await sleep(100);
  }
}

function count(text: string, pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}

describe('a database outage', () => {
  let databaseUrl: string;
  let dropAfter = false;
  let host: ApiProcess | undefined;
  let proxy: TcpProxy;
  let api: ApiProcess;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const base = serverUrl();
    if (base) {
      databaseUrl = await createDatabase(base);
      dropAfter = true;
    } else {
      // No PostgreSQL server on this machine: an api's embedded cluster serves as one.
      host = await startApi({ configToml: defaultConfig() });
      databaseUrl = host.databaseUrl();
    }
    const target = new URL(databaseUrl);
    proxy = await startTcpProxy(target.hostname, Number(target.port || '5432'));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await api.dispose();
    await proxy.close();
    await host?.dispose();
    if (dropAfter) await dropDatabase(databaseUrl);
  });

  it('is answered database_unavailable everywhere, logged once each way, and recovered from', async () => {
    const root = await newIdentity();
    api = await startApi({
      configToml: defaultConfig([root.publicKey.hex]),
      databaseUrl: throughProxy(databaseUrl, proxy),
    });
    const socket = await connect(api, root);
    sockets.push(socket);
    await ok(socket, 'member.join', { displayName: 'Root' });
    await ok(socket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'before' });
    // A login proof whose challenge was issued before the outage, to try a handshake during it.
    const proof = await loginProof(root, api.url, api.origin);

    const refused: Tally = { requests: 0, handshakes: 0, http: 0 };
    const unexpected: string[] = [];
    const expectUnavailable = (what: string, envelope: Envelope<unknown>, tally: keyof Tally) => {
      const retryAfterMs = envelope.ok ? undefined : envelope.error.details?.['retryAfterMs'];
      if (
        !envelope.ok &&
        envelope.error.code === 'database_unavailable' &&
        typeof retryAfterMs === 'number'
      ) {
        refused[tally] += 1;
      } else {
        unexpected.push(`${what}: ${JSON.stringify(envelope)}`);
      }
    };
    const http = async (method: string, route: string) => {
      const response = await fetch(`${api.url}${route}`, { method });
      const envelope = (await response.json()) as Envelope<unknown>;
      if (response.status !== 503) unexpected.push(`${method} ${route}: HTTP ${response.status}`);
      expectUnavailable(`${method} ${route}`, envelope, 'http');
    };

    // A send waiting in the database (for a row lock held from outside) when the connection drops.
    const lock = await lockChannel(databaseUrl, 'lobby');
    const retriedId = randomUUID();
    try {
      const inFlight = request(socket, 'messages.send', {
        channelId: 'lobby',
        clientId: retriedId,
        content: SECRET,
      });
      await lock.waiters(1);
      proxy.cut();
      try {
        expectUnavailable('the send in flight', await inFlight, 'requests');
        for (let round = 0; round < 20; round++) {
          const send = await request(socket, 'messages.send', {
            channelId: 'lobby',
            clientId: randomUUID(),
            content: SECRET,
          });
          expectUnavailable('messages.send', send, 'requests');
          const history = await request(socket, 'messages.history', { channelId: 'lobby' });
          expectUnavailable('messages.history', history, 'requests');
          await http('POST', '/api/auth/challenge');
          await http('GET', '/api/health');
          await sleep(100);
        }
        const handshake = await connectRefused(api, proof);
        if (handshake.data)
          expectUnavailable('the handshake', { ok: false, error: handshake.data }, 'handshakes');
        else unexpected.push(`the handshake: ${handshake.message}`);
      } finally {
        proxy.restore();
      }
    } finally {
      await lock.release();
    }
    expect(unexpected).toEqual([]);

    // Back: the client retries the send that failed in flight, with the same clientId.
    await poll(async () => {
      const answer = await request(socket, 'messages.send', {
        channelId: 'lobby',
        clientId: retriedId,
        content: SECRET,
      });
      return answer.ok;
    }, 'sends did not work again after the database came back');
    await ok(socket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'after' });
    expect((await fetch(`${api.url}/api/auth/challenge`, { method: 'POST' })).status).toBe(200);
    await connect(api, root).then((s) => sockets.push(s));

    await poll(() => /database outage ended/.test(api.output()), 'the end of the outage was not logged');
    const output = api.output();
    expect(count(output, /database outage started/)).toBe(1);
    expect(count(output, /database outage ended/)).toBe(1);
    const ended =
      /database outage ended.*?(\d+) requests?, (\d+) handshakes?, (\d+) HTTP requests? refused/.exec(output);
    expect(ended?.slice(1).map(Number)).toEqual([refused.requests, refused.handshakes, refused.http]);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).not.toContain('internal_error');
    expect(output).not.toContain(SECRET);
  });
});
