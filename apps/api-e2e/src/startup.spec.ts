import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

import { type ApiProcess, defaultConfig, embeddedUrl, runApi, startApi, tempDir } from '@mpqcht/test-harness';

import { connect, ok, type TestSocket, waitForDisconnect } from './support/client';
import { newIdentity, type TestIdentity } from './support/identity';
import {
  clusterDirOf,
  type Exited,
  isPostmasterOf,
  isRunning,
  listeningAddresses,
  type PostmasterInfo,
  postmastersOf,
  processUid,
  readPostmasterPid,
  stopLeftoverPostmasters,
  tcpSocketsOf,
  waitForExit,
  waitGone,
} from './support/postmaster';

/** Lines of a Node.js stack trace. */
const STACK_LINE = /^ {4}at /m;
const G_NOT_ON_CURVE = '02' + 'ff'.repeat(32);

const dirs: string[] = [];
const apis: ApiProcess[] = [];
const sockets: TestSocket[] = [];

function newDir(): string {
  const dir = tempDir('mpqcht-startup-');
  dirs.push(dir);
  return dir;
}

/** Runs the built api with this config.toml and environment; it is expected to refuse to start. */
async function refusedStart(
  configToml: string,
  env: Record<string, string> = {},
): Promise<Exited & { dataDir: string }> {
  const dir = newDir();
  const configPath = path.join(dir, 'config.toml');
  fs.writeFileSync(configPath, configToml);
  const dataDir = path.join(dir, 'data');
  const exited = await waitForExit(
    runApi(configPath, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env }),
  );
  return { ...exited, dataDir };
}

async function start(dataDir: string, configToml: string, env?: Record<string, string>): Promise<ApiProcess> {
  const api = await startApi({ configToml, dataDir, ...(env ? { env } : {}) });
  apis.push(api);
  return api;
}

async function session(api: ApiProcess, identity: TestIdentity): Promise<TestSocket> {
  const socket = await connect(api, identity);
  sockets.push(socket);
  return socket;
}

function postmaster(dataDir: string): PostmasterInfo {
  const info = readPostmasterPid(dataDir);
  if (!info) throw new Error(`no postmaster.pid in ${clusterDirOf(dataDir)}`);
  return info;
}

async function health(api: ApiProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}/api/health`);
  return { status: response.status, body: await response.json() };
}

async function history(socket: TestSocket): Promise<{ id: string; content: string }[]> {
  const page = await ok(socket, 'messages.history', { channelId: 'lobby' });
  return page.messages.map((m) => ({ id: m.id, content: m.content }));
}

function osUid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

describe('start-up', () => {
  const savedDatabaseUrl = process.env['DATABASE_URL'];

  beforeAll(() => {
    // These tests are about the embedded database: startApi must not hand the api a DATABASE_URL.
    delete process.env['DATABASE_URL'];
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    for (const api of apis) await api.dispose();
    const leftovers: number[] = [];
    for (const dir of dirs) {
      for (const dataDir of [path.join(dir, 'data'), path.join(dir, 'second')]) {
        leftovers.push(...(await stopLeftoverPostmasters(dataDir)));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (savedDatabaseUrl !== undefined) process.env['DATABASE_URL'] = savedDatabaseUrl;
    // Every api stops its own postmaster; one left behind here means a clean stop leaked it.
    expect(leftovers).toEqual([]);
  });

  describe('a broken config.toml stops start-up with the file, the key path and the problem', () => {
    it.each([
      [
        'a channel in a group that does not exist',
        '[server]\nname = "e2e"\n\n[[groups]]\nid = "general"\nname = "General"\n\n' +
          '[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "nope"\n',
        'config.toml: channels[0].group: unknown group "nope"',
      ],
      [
        'an unknown key',
        defaultConfig().replace('name = "e2e"', 'name = "e2e"\nnmae = "typo"'),
        'config.toml: server: unknown key(s) "nmae"',
      ],
      [
        'a TOML syntax error',
        '[server]\nname = "e2e"\n\n[[groups]\nid = "general"\n',
        'config.toml: syntax error at line 4, column ',
      ],
      [
        'a root key that is not a P-256 point',
        defaultConfig([G_NOT_ON_CURVE]),
        'config.toml: server.root_keys[0]: public key is not a point on the P-256 curve',
      ],
    ])('%s', async (_name, configToml, expected) => {
      const run = await refusedStart(configToml);
      expect(run.signal).toBeNull();
      expect(run.code).not.toBe(0);
      expect(run.output).toContain(expected);
      expect(run.output).not.toMatch(STACK_LINE);
      expect(run.output).not.toContain('listening on');
      // Refused before anything was started: no database cluster was created.
      expect(fs.existsSync(run.dataDir)).toBe(false);
    });

    it('names the file it cannot read', async () => {
      const dir = newDir();
      const missing = path.join(dir, 'missing.toml');
      const run = await waitForExit(runApi(missing, { PORT: '0', DATA_DIR: path.join(dir, 'data') }));
      expect(run.code).not.toBe(0);
      expect(run.signal).toBeNull();
      expect(run.output).toContain(`${missing}: cannot read the file`);
      expect(run.output).not.toMatch(STACK_LINE);
    });
  });

  describe('an invalid environment variable stops start-up naming the variable', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PUBLIC_ORIGIN', 'https://chat.example.org/app'],
      ['PUBLIC_ORIGIN', 'https://chat.example.org/'],
      ['DATABASE_URL', 'mysql://user@localhost/db'],
      ['LOG_LEVEL', 'loud'],
    ])('%s=%s', async (variable, value) => {
      const run = await refusedStart(defaultConfig(), { [variable]: value });
      expect(run.signal).toBeNull();
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(new RegExp(`^\\s*${variable}: `, 'm'));
      // Only the bad variable is named.
      const named = ['PORT', 'PUBLIC_ORIGIN', 'DATABASE_URL', 'LOG_LEVEL', 'DATA_DIR', 'HOST'].filter((v) =>
        new RegExp(`^\\s*${v}: `, 'm').test(run.output),
      );
      expect(named).toEqual([variable]);
      expect(run.output).not.toMatch(STACK_LINE);
      expect(run.output).not.toContain('listening on');
      expect(fs.existsSync(run.dataDir)).toBe(false);
    });
  });

  describe('a port already taken stops start-up before the database is touched', () => {
    /** A loopback server that counts the connections it gets (a database that must not be asked). */
    async function trap(): Promise<{ server: net.Server; port: number; connections: () => number }> {
      let connections = 0;
      const server = net.createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (typeof address !== 'object' || !address) throw new Error('no port');
      return { server, port: address.port, connections: () => connections };
    }

    it.each([
      ['the embedded PostgreSQL', false],
      ['a PostgreSQL server (DATABASE_URL)', true],
    ])('with %s', async (_name, external) => {
      const taken = await trap();
      const database = await trap();
      try {
        const env: Record<string, string> = { PORT: String(taken.port) };
        if (external) env['DATABASE_URL'] = `postgres://postgres@127.0.0.1:${database.port}/postgres`;
        const run = await refusedStart(defaultConfig(), env);
        expect(run.signal).toBeNull();
        expect(run.code).not.toBe(0);
        expect(run.output).toContain(
          `mpqcht: cannot start.\nPORT: ${taken.port} on 127.0.0.1 is already in use (another mpqcht, ` +
            'or another program, listens there): stop it, or set PORT to a free port\n',
        );
        expect(run.output).not.toMatch(STACK_LINE);
        expect(run.output).not.toContain('embedded PostgreSQL');
        expect(run.output).not.toContain('listening on');
        // No cluster was created (so no postmaster ran), and no database server was asked anything.
        expect(fs.existsSync(run.dataDir)).toBe(false);
        expect(database.connections()).toBe(0);
        // Whoever holds the port was not disturbed.
        expect(taken.connections()).toBe(0);
        expect(taken.server.listening).toBe(true);
      } finally {
        await new Promise((resolve) => taken.server.close(resolve));
        await new Promise((resolve) => database.server.close(resolve));
      }
    });
  });

  describe('the embedded PostgreSQL (DATABASE_URL unset)', () => {
    it('creates the cluster and a private password file, listens on loopback only, not 5432', async () => {
      const dataDir = path.join(newDir(), 'data');
      const api = await start(dataDir, defaultConfig());

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
      expect(fs.readFileSync(path.join(clusterDirOf(dataDir), 'PG_VERSION'), 'utf8').trim()).toBe('17');
      const passwordFile = path.join(dataDir, 'postgres.password');
      expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(passwordFile, 'utf8').trim()).toMatch(/^[0-9a-f]{32,}$/);

      const pm = postmaster(dataDir);
      expect(pm.clusterDir).toBe(clusterDirOf(dataDir));
      expect(isPostmasterOf(pm.pid, dataDir)).toBe(true);
      expect(pm.port).toBeGreaterThan(0);
      expect(pm.port).not.toBe(5432);
      expect(pm.listenAddress).toBe('127.0.0.1');
      expect(pm.socketDir).toBe('');
      expect(listeningAddresses(pm.port)).toEqual(['127.0.0.1']);
      // PostgreSQL refuses root; as root the api runs it as the OS user postgres.
      if (process.getuid?.() === 0) expect(processUid(pm.pid)).toBe(osUid('postgres'));

      // Reachable with the password from the file, refused without it.
      const client = new Client({ connectionString: embeddedUrl(dataDir) });
      await client.connect();
      try {
        const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
        expect(rows[0]?.server_version).toMatch(/^17\./);
      } finally {
        await client.end();
      }
      const intruder = new Client({
        host: '127.0.0.1',
        port: pm.port,
        user: 'postgres',
        password: 'not-the-password',
        database: 'postgres',
      });
      await expect(intruder.connect()).rejects.toMatchObject({ code: '28P01' });
      await intruder.end().catch(() => undefined);
    });

    it('keeps the data across a clean restart and stops its postmaster on SIGTERM', async () => {
      const root = await newIdentity();
      const config = defaultConfig([root.publicKey.hex]);
      const dataDir = path.join(newDir(), 'data');

      const first = await start(dataDir, config);
      const socket = await session(first, root);
      await ok(socket, 'member.join', { displayName: 'Root' });
      const sent = await ok(socket, 'messages.send', {
        channelId: 'lobby',
        clientId: randomUUID(),
        content: 'before the restart',
      });
      expect(first.output()).toContain('creating the embedded PostgreSQL cluster');
      // A client stays connected and an HTTP keep-alive connection stays open: neither holds up the stop.
      expect((await health(first)).status).toBe(200);
      const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8');
      const pm = postmaster(dataDir);

      const disconnected = waitForDisconnect(socket, 20_000);
      expect(await first.stop()).toBe(0);
      await expect(disconnected).resolves.toEqual(expect.any(String));
      expect(isRunning(pm.pid)).toBe(false);
      expect(readPostmasterPid(dataDir)).toBeUndefined();

      const second = await start(dataDir, config);
      expect(second.output()).not.toContain('creating the embedded PostgreSQL cluster');
      expect(fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8')).toBe(password);
      expect(await history(await session(second, root))).toEqual([
        { id: sent.id, content: 'before the restart' },
      ]);
      const secondPm = postmaster(dataDir);
      expect(await second.stop()).toBe(0);
      expect(isRunning(secondPm.pid)).toBe(false);
    });

    it('leaves the postmaster running after a SIGKILL; the next start stops it and keeps the data', async () => {
      const root = await newIdentity();
      const config = defaultConfig([root.publicKey.hex]);
      const dataDir = path.join(newDir(), 'data');

      const first = await start(dataDir, config);
      const socket = await session(first, root);
      await ok(socket, 'member.join', { displayName: 'Root' });
      const sent = await ok(socket, 'messages.send', {
        channelId: 'lobby',
        clientId: randomUUID(),
        content: 'before the crash',
      });
      socket.close();
      const orphan = postmaster(dataDir);

      await first.kill();
      // The postmaster outlives the api and still serves the committed data.
      expect(isPostmasterOf(orphan.pid, dataDir)).toBe(true);
      const client = new Client({ connectionString: embeddedUrl(dataDir) });
      await client.connect();
      try {
        const { rows } = await client.query<{ content: string }>(
          'SELECT content FROM messages WHERE id = $1',
          [sent.id],
        );
        expect(rows).toEqual([{ content: 'before the crash' }]);
      } finally {
        await client.end();
      }

      const second = await start(dataDir, config);
      expect(second.output()).toContain(`stopping the orphaned embedded PostgreSQL (pid ${orphan.pid})`);
      expect(await waitGone(orphan.pid)).toBe(true);
      const fresh = postmaster(dataDir);
      expect(fresh.pid).not.toBe(orphan.pid);
      expect(isPostmasterOf(fresh.pid, dataDir)).toBe(true);
      expect(await health(second)).toMatchObject({ status: 200 });
      expect(await history(await session(second, root))).toEqual([
        { id: sent.id, content: 'before the crash' },
      ]);
      expect(await second.stop()).toBe(0);
      expect(isRunning(fresh.pid)).toBe(false);
    });

    it('a failure after the database is up (a failing migration) exits non-zero and stops the postmaster', async () => {
      // A cluster the migrations cannot apply to: a first api migrates it and is killed (its
      // postmaster stays up), and the record of applied migrations is dropped, so the next start
      // runs the first migration again over the tables it created. (A taken port used to be this
      // failure; it is now refused before the database starts, see above.)
      const dir = newDir();
      const dataDir = path.join(dir, 'data');
      const first = await start(dataDir, defaultConfig());
      await first.kill();
      const client = new Client({ connectionString: embeddedUrl(dataDir) });
      await client.connect();
      try {
        await client.query('DROP TABLE migrations');
      } finally {
        await client.end();
      }

      const configPath = path.join(dir, 'config.toml');
      fs.writeFileSync(configPath, defaultConfig());
      const run = await waitForExit(runApi(configPath, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }));
      expect(run.output).toContain('embedded PostgreSQL is up');
      expect(run.signal).toBeNull();
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/mpqcht: start-up failed: relation "\w+" already exists/);
      expect(run.output).not.toMatch(STACK_LINE);
      expect(run.output).not.toContain('listening on');
      // The api asked its postmaster to shut down on the way out: nothing is left running.
      for (const pid of postmastersOf(dataDir)) expect(await waitGone(pid)).toBe(true);
      expect(readPostmasterPid(dataDir)).toBeUndefined();
      expect(fs.existsSync(path.join(clusterDirOf(dataDir), 'PG_VERSION'))).toBe(true);
    });

    it('a second api runs its own cluster and never connects to 5432 or to libpq defaults', async () => {
      const connections = { pg5432: 0, pgDefaults: 0 };
      const listen = (port: number, onConnection: () => void): Promise<net.Server | undefined> =>
        new Promise((resolve) => {
          const server = net.createServer((s) => {
            onConnection();
            s.destroy();
          });
          server.once('error', () => resolve(undefined)); // 5432 is taken (a system PostgreSQL)
          server.listen(port, '127.0.0.1', () => resolve(server));
        });
      const trap5432 = await listen(5432, () => (connections.pg5432 += 1));
      const trapDefaults = await listen(0, () => (connections.pgDefaults += 1));
      const defaultsAddress = trapDefaults?.address();
      if (!trapDefaults || typeof defaultsAddress !== 'object' || !defaultsAddress) {
        throw new Error('could not open a loopback port');
      }
      try {
        const dir = newDir();
        const firstDir = path.join(dir, 'data');
        const secondDir = path.join(dir, 'second');
        const first = await start(firstDir, defaultConfig());
        // What the pg driver would use if the api fell back to its defaults instead of its own cluster.
        const second = await start(secondDir, defaultConfig(), {
          PGHOST: '127.0.0.1',
          PGPORT: String(defaultsAddress.port),
          PGUSER: 'postgres',
          PGPASSWORD: 'x',
          PGDATABASE: 'postgres',
        });
        for (const api of [first, second]) expect((await health(api)).status).toBe(200);

        const ports = [postmaster(firstDir).port, postmaster(secondDir).port];
        expect(ports).not.toContain(5432);
        expect(ports[0]).not.toBe(ports[1]);

        for (const [api, own] of [
          [first, ports[0]],
          [second, ports[1]],
        ] as const) {
          const pid = api.child.pid;
          if (pid === undefined) throw new Error('api has no pid');
          // Outgoing connections: everything but the api's own HTTP port (keep-alive from fetch).
          const apiPort = Number(new URL(api.url).port);
          const remotePorts = tcpSocketsOf(pid)
            .filter((s) => s.state === '01' && s.localPort !== apiPort)
            .map((s) => s.remotePort);
          // The pool is open after /api/health, and every database connection goes to its own cluster.
          expect(remotePorts).toContain(own);
          expect(new Set(remotePorts)).toEqual(new Set([own]));
        }
        expect(connections).toEqual({ pg5432: 0, pgDefaults: 0 });
      } finally {
        await new Promise((resolve) => trapDefaults.close(resolve));
        if (trap5432) await new Promise((resolve) => trap5432.close(resolve));
      }
    });
  });
});
