import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import type { Envelope, HealthDto } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi, tempDir } from '@mpqcht/test-harness';

import { connect, ok, request, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import {
  clusterDirOf,
  isRunning,
  type PostmasterInfo,
  readPostmasterPid,
  stopLeftoverPostmasters,
  waitGone,
} from './support/postmaster';

/**
 * Issue 12, point 6: the embedded PostgreSQL (DATABASE_URL unset) dies while the api runs; the api
 * notices, logs why, starts it again on the same port (retrying while it cannot) and reports it in
 * `/api/health`, and the connected client's sends work again: no restart of the api by hand.
 */

const STACK_LINE = /^ {4}at /m;

const dirs: string[] = [];
const apis: ApiProcess[] = [];
const sockets: TestSocket[] = [];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll(done: () => Promise<boolean> | boolean, failure: string): Promise<void> {
  for (let tries = 0; !(await done()); tries++) {
    if (tries >= 400) throw new Error(failure);
    await sleep(100);
  }
}

function postmaster(dataDir: string): PostmasterInfo {
  const info = readPostmasterPid(dataDir);
  if (!info) throw new Error(`no postmaster.pid in ${clusterDirOf(dataDir)}`);
  return info;
}

async function health(api: ApiProcess): Promise<{ status: number; body: Envelope<HealthDto> }> {
  const response = await fetch(`${api.url}/api/health`);
  return { status: response.status, body: (await response.json()) as Envelope<HealthDto> };
}

/** Listens on the postmaster's port and drops every connection, so a restart cannot bind it. */
async function holdPort(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

function lines(output: string, pattern: RegExp): number {
  return output.split('\n').filter((line) => pattern.test(line)).length;
}

async function startWithMember() {
  const root = await newIdentity();
  const dir = tempDir('mpqcht-recovery-');
  dirs.push(dir);
  const dataDir = path.join(dir, 'data');
  const api = await startApi({ configToml: defaultConfig([root.publicKey.hex]), dataDir });
  apis.push(api);
  const socket = await connect(api, root);
  sockets.push(socket);
  await ok(socket, 'member.join', { displayName: 'Root' });
  await ok(socket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'before' });
  return { api, socket, dataDir };
}

async function sendsAgain(socket: TestSocket): Promise<void> {
  const clientId = randomUUID();
  await poll(async () => {
    const answer = await request(socket, 'messages.send', { channelId: 'lobby', clientId, content: 'after' });
    return answer.ok;
  }, 'sends did not work again');
  const page = await ok(socket, 'messages.history', { channelId: 'lobby' });
  expect(page.messages.map((m) => m.content)).toEqual(['before', 'after']);
}

describe('the embedded PostgreSQL dies while the api runs', () => {
  const savedDatabaseUrl = process.env['DATABASE_URL'];

  beforeAll(() => {
    // About the embedded database: startApi must not hand the api a DATABASE_URL.
    delete process.env['DATABASE_URL'];
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    for (const api of apis) await api.dispose();
    const leftovers: number[] = [];
    for (const dir of dirs) {
      leftovers.push(...(await stopLeftoverPostmasters(path.join(dir, 'data'))));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (savedDatabaseUrl !== undefined) process.env['DATABASE_URL'] = savedDatabaseUrl;
    expect(leftovers).toEqual([]);
  });

  it('SIGKILL: reported down while it cannot restart, restarted on the same port, sends work again', async () => {
    const { api, socket, dataDir } = await startWithMember();
    expect(await health(api)).toEqual({
      status: 200,
      body: {
        ok: true,
        data: {
          status: 'ok',
          database: 'up',
          turn: 'off',
          search: expect.stringMatching(/^(ready|indexing)$/) as string,
          embeddedDatabase: { state: 'running', restarts: 0, lastExit: null },
        },
      },
    });
    const killed = postmaster(dataDir);

    process.kill(killed.pid, 'SIGKILL');
    expect(await waitGone(killed.pid)).toBe(true);
    // Something else holds the port for a while: restarts fail and are retried.
    const squatter = await holdPort(killed.port);
    try {
      await poll(
        () => api.output().includes('restarting the embedded PostgreSQL failed'),
        'no failed restart was logged',
      );
      const down = await health(api);
      expect(down.status).toBe(503);
      if (down.body.ok) throw new Error('health answered ok while the database was down');
      const { code, details } = down.body.error;
      expect(code).toBe('database_unavailable');
      const { retryAfterMs, embeddedDatabase, ...report } = details ?? {};
      expect(typeof retryAfterMs).toBe('number');
      expect(report).toEqual({
        status: 'unavailable',
        database: 'down',
        turn: 'off',
        search: expect.stringMatching(/^(ready|indexing)$/) as string,
      });
      const { lastExit, ...state } = embeddedDatabase as HealthDto['embeddedDatabase'] & object;
      expect(state).toEqual({ state: 'restarting', restarts: 0 });
      expect(lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
      const refused = await request(socket, 'messages.send', {
        channelId: 'lobby',
        clientId: randomUUID(),
        content: 'while down',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'database_unavailable' } });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    // The database may answer a moment before the supervisor has seen the restart through.
    await poll(async () => {
      const { status, body } = await health(api);
      return status === 200 && body.ok && body.data.embeddedDatabase?.state === 'running';
    }, 'health did not return to up');
    expect((await health(api)).body).toMatchObject({
      ok: true,
      data: {
        status: 'ok',
        database: 'up',
        embeddedDatabase: { state: 'running', restarts: 1, lastExit: { code: null, signal: 'SIGKILL' } },
      },
    });
    const restarted = postmaster(dataDir);
    expect(restarted.pid).not.toBe(killed.pid);
    expect(restarted.port).toBe(killed.port);
    await sendsAgain(socket);

    const output = api.output();
    expect(output).toContain('embedded PostgreSQL exited unexpectedly (killed by SIGKILL)');
    // Why it stopped: PostgreSQL's own last status lines, quoted from postgres.log.
    expect(output).toMatch(/last lines of .*postgres\.log:\n.*(LOG|FATAL|PANIC):/);
    expect(output).toContain('embedded PostgreSQL is running again (restart 1)');
    await poll(() => /database outage ended/.test(api.output()), 'the end of the outage was not logged');
    expect(lines(api.output(), /database outage started/)).toBe(1);
    expect(lines(api.output(), /database outage ended/)).toBe(1);
    expect(output).not.toMatch(STACK_LINE);

    expect(await api.stop()).toBe(0);
    expect(isRunning(restarted.pid)).toBe(false);
  });

  it('a fast shutdown of the postmaster (SIGINT) is logged and restarted too', async () => {
    const { api, socket, dataDir } = await startWithMember();
    const stopped = postmaster(dataDir);

    process.kill(stopped.pid, 'SIGINT');
    expect(await waitGone(stopped.pid)).toBe(true);
    await poll(async () => {
      const { status, body } = await health(api);
      return status === 200 && body.ok && body.data.embeddedDatabase?.restarts === 1;
    }, 'the cluster was not restarted');
    await sendsAgain(socket);
    expect(api.output()).toContain('embedded PostgreSQL exited unexpectedly (exit code 0)');
    expect(api.output()).toMatch(/last lines of .*postgres\.log:\n(.*\n)*.*database system is shut down/);
    expect(postmaster(dataDir).port).toBe(stopped.port);
    expect(api.output()).not.toMatch(STACK_LINE);
  });
});
