import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Server, type Socket } from 'socket.io';

import {
  buildLoginBytes,
  hexToBytes,
  parseWirePublicKey,
  type PublicKey,
  publicKeyToJwk,
} from '@mpqcht/identity';
import type { MessageDto } from '@mpqcht/protocol';

import { runCli } from './cli';
import { checkChallengeOrigin } from './connection';
import { CliError } from './errors';
import { createKeyFile } from './key-file';

type Ack = (body: unknown) => void;

/** What every `session.get` answer carries (the CLI keeps it beside the key file). */
const LOGIN_PASS = { pass: 'ab'.repeat(54), expiresAt: '2099-01-01T00:00:00.000Z' };

/**
 * A stand-in mpqcht server: POST /api/auth/challenge and a Socket.IO handshake that checks the login
 * signature the way the api does (bytes bound to `origin`, nonce used once), plus canned answers.
 */
class FakeServer {
  readonly challenges: string[] = [];
  readonly logins: string[] = [];
  connections = 0;
  challengeBody: ((nonce: string) => { status: number; body: unknown }) | undefined;
  refuse: { code: string; message: string } | undefined;
  handlers: Record<string, (payload: unknown, ack: Ack, socket: Socket) => void> = {
    'session.get': (_p, ack, socket) =>
      ack({
        ok: true,
        data: { publicKey: (socket.data as { publicKey: string }).publicKey, loginPass: LOGIN_PASS },
      }),
  };
  private readonly nonces = new Set<string>();
  private readonly http: HttpServer;
  private readonly io: Server;
  url = '';

  constructor(readonly origin: (url: string) => string = (url) => url) {
    this.http = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/api/auth/challenge') {
        res.writeHead(404).end();
        return;
      }
      const nonce = randomBytes(32).toString('hex');
      this.nonces.add(nonce);
      this.challenges.push(nonce);
      const { status, body } = this.challengeBody?.(nonce) ?? {
        status: 200,
        body: {
          ok: true,
          data: {
            nonce,
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
            origin: this.origin(this.url),
          },
        },
      };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    this.io = new Server(this.http);
    this.io.use((socket, next) => {
      this.connections++;
      const refusal = this.refuse ?? this.checkLogin(socket.handshake.auth);
      if (typeof refusal === 'string') {
        this.logins.push(refusal);
        socket.data = { publicKey: refusal };
        next();
        return;
      }
      next(Object.assign(new Error(refusal.message), { data: refusal }));
    });
    this.io.on('connection', (socket) => {
      socket.onAny((event: string, payload: unknown, ack: Ack) => {
        const handler = this.handlers[event];
        if (handler) handler(payload, ack, socket);
        else ack({ ok: false, error: { code: 'unknown_event', message: `no ${event} here` } });
      });
    });
  }

  private checkLogin(auth: Record<string, unknown>): string | { code: string; message: string } {
    const { publicKey, nonce, signature } = auth as Record<string, string>;
    const key = parseWirePublicKey(publicKey ?? '');
    if (!key.ok) return { code: 'invalid_public_key', message: 'bad key' };
    if (!nonce || !this.nonces.delete(nonce)) return { code: 'challenge_unknown', message: 'unknown nonce' };
    const bytes = buildLoginBytes({
      origin: this.origin(this.url),
      nonce: hexToBytes(nonce) ?? new Uint8Array(),
      publicKey: key.key,
    });
    const ok = verify(
      'sha256',
      bytes,
      {
        key: createPublicKey({ key: { ...publicKeyToJwk(key.key) }, format: 'jwk' }),
        dsaEncoding: 'ieee-p1363',
      },
      hexToBytes(signature ?? '') ?? new Uint8Array(),
    );
    return ok ? key.key.hex : { code: 'signature_invalid', message: 'the signature does not verify' };
  }

  push(event: string, body: unknown): void {
    this.io.emit(event, body);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.io.close();
  }
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const neverStop = () => new Promise<void>(() => undefined);

describe('runCli', () => {
  let dir: string;
  let keyFile: string;
  let publicKey: PublicKey;
  let server: FakeServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mpqcht-cli-'));
    keyFile = path.join(dir, 'me.key');
    publicKey = await createKeyFile(keyFile);
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints help on stdout with exit 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io.output, neverStop)).toBe(0);
    expect(io.out.join('\n')).toContain('usage: npm run cli -- <command>');
    expect(io.err).toEqual([]);
  });

  it('reports a usage error in two lines with exit 2', async () => {
    const io = capture();
    expect(await runCli(['join', '--key', keyFile], io.output, neverStop)).toBe(2);
    expect(io.err).toEqual([
      'error: join needs --server',
      'usage: npm run cli -- join --server URL --key FILE [--origin ORIGIN] --name NAME',
    ]);
    expect(io.out).toEqual([]);
  });

  it('prints the public key of a key file', async () => {
    const io = capture();
    expect(await runCli(['pubkey', '--key', keyFile], io.output, neverStop)).toBe(0);
    expect(io.out).toEqual([publicKey.hex]);
  });

  it('keygen refuses an existing file with exit 1 and one line', async () => {
    const io = capture();
    expect(await runCli(['keygen', '--out', keyFile], io.output, neverStop)).toBe(1);
    expect(io.err).toEqual([`error: ${keyFile} already exists; refusing to overwrite it`]);
  });

  it('sign prints a proof bound to the given origin and nonce', async () => {
    const io = capture();
    const nonce = 'cd'.repeat(32);
    const argv = ['sign', '--key', keyFile, '--origin', 'https://chat.example.org', '--nonce', nonce];
    expect(await runCli(argv, io.output, neverStop)).toBe(0);
    const proof = JSON.parse(io.out.join('\n')) as { publicKey: string; nonce: string; signature: string };
    expect(Object.keys(proof)).toEqual(['publicKey', 'nonce', 'signature']);
    expect(proof.publicKey).toBe(publicKey.hex);
    expect(proof.nonce).toBe(nonce);
    const bytes = (origin: string) =>
      buildLoginBytes({ origin, nonce: hexToBytes(nonce) ?? new Uint8Array(), publicKey });
    const key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
    const signature = hexToBytes(proof.signature) ?? new Uint8Array();
    expect(signature).toHaveLength(64);
    const check = (origin: string) =>
      verify('sha256', bytes(origin), { key, dsaEncoding: 'ieee-p1363' }, signature);
    expect(check('https://chat.example.org')).toBe(true);
    expect(check('https://evil.example')).toBe(false);
  });

  it('login signs a fresh challenge for the server origin and prints session.get', async () => {
    server = await new FakeServer().start();
    const session = { publicKey: publicKey.hex, isRoot: true, member: null, loginPass: LOGIN_PASS };
    server.handlers['session.get'] = (_p, ack) => ack({ ok: true, data: session });
    const io = capture();
    expect(await runCli(['login', '--server', server.url, '--key', keyFile], io.output, neverStop)).toBe(0);
    expect(JSON.parse(io.out.join('\n'))).toEqual(session);
    expect(server.logins).toEqual([publicKey.hex]);
    expect(server.challenges).toHaveLength(1);
  });

  it('login refuses to sign for an origin other than the server URL, naming both', async () => {
    server = await new FakeServer(() => 'https://bank.example').start();
    const io = capture();
    expect(await runCli(['login', '--server', server.url, '--key', keyFile], io.output, neverStop)).toBe(1);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(/^error: /);
    expect(io.err[0]).toContain('https://bank.example');
    expect(io.err[0]).toContain(server.url);
    expect(server.connections).toBe(0);
  });

  it('login with --origin signs for that origin when the server asks for exactly it', async () => {
    server = await new FakeServer(() => 'https://chat.example.org').start();
    server.handlers['session.get'] = (_p, ack) => ack({ ok: true, data: { ok: 1, loginPass: LOGIN_PASS } });
    const io = capture();
    const argv = ['login', '--server', server.url, '--key', keyFile, '--origin', 'https://chat.example.org'];
    expect(await runCli(argv, io.output, neverStop)).toBe(0);
    expect(server.logins).toEqual([publicKey.hex]);
  });

  it('login with --origin still refuses a server that asks for a third origin', async () => {
    server = await new FakeServer(() => 'https://bank.example').start();
    const io = capture();
    const argv = ['login', '--server', server.url, '--key', keyFile, '--origin', 'https://chat.example.org'];
    expect(await runCli(argv, io.output, neverStop)).toBe(1);
    expect(io.err[0]).toContain('https://bank.example');
    expect(io.err[0]).toContain('https://chat.example.org');
    expect(server.connections).toBe(0);
  });

  it('prints a handshake refusal as error: <code>: <message> with exit 1', async () => {
    server = await new FakeServer().start();
    server.refuse = { code: 'not_a_member', message: 'this key is not a member here' };
    const io = capture();
    expect(await runCli(['login', '--server', server.url, '--key', keyFile], io.output, neverStop)).toBe(1);
    expect(io.err).toEqual(['error: not_a_member: this key is not a member here']);
  });

  it('prints an error envelope from the challenge route as a protocol error', async () => {
    server = await new FakeServer().start();
    server.challengeBody = () => ({
      status: 429,
      body: {
        ok: false,
        error: { code: 'rate_limited', message: 'slow down', details: { retryAfterMs: 500 } },
      },
    });
    const io = capture();
    expect(await runCli(['login', '--server', server.url, '--key', keyFile], io.output, neverStop)).toBe(1);
    expect(io.err).toEqual(['error: rate_limited: slow down', 'details: {"retryAfterMs":500}']);
  });

  it('prints an error ack as a protocol error and sends the canonical member key and roles', async () => {
    server = await new FakeServer().start();
    const seen: unknown[] = [];
    server.handlers['members.authorize'] = (payload, ack) => {
      seen.push(payload);
      ack({ ok: false, error: { code: 'forbidden', message: 'you may not manage members' } });
    };
    const G_UNCOMPRESSED =
      '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
    const argv = [
      'authorize',
      '--server',
      server.url,
      '--key',
      keyFile,
      '--member',
      G_UNCOMPRESSED,
      '--roles',
      'a,b',
    ];
    const io = capture();
    expect(await runCli(argv, io.output, neverStop)).toBe(1);
    expect(io.err).toEqual(['error: forbidden: you may not manage members']);
    expect(seen).toEqual([
      { publicKey: '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296', roles: ['a', 'b'] },
    ]);
  });

  it('send gives a fresh UUID clientId and prints the stored message', async () => {
    server = await new FakeServer().start();
    const payloads: Record<string, unknown>[] = [];
    server.handlers['messages.send'] = (payload, ack) => {
      payloads.push(payload as Record<string, unknown>);
      ack({ ok: true, data: { id: 'm1', ...(payload as object) } });
    };
    for (let i = 0; i < 2; i++) {
      const io = capture();
      const argv = ['send', '--server', server.url, '--key', keyFile, '--channel', 'chat', 'hi', 'there'];
      expect(await runCli(argv, io.output, neverStop)).toBe(0);
      expect(JSON.parse(io.out.join('\n'))).toMatchObject({ id: 'm1', content: 'hi there' });
    }
    expect(payloads.map((p) => p['channelId'])).toEqual(['chat', 'chat']);
    const ids = payloads.map((p) => p['clientId']);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('reports an unreachable server in one line', async () => {
    const closed = await new FakeServer().start();
    await closed.stop();
    const io = capture();
    expect(await runCli(['login', '--server', closed.url, '--key', keyFile], io.output, neverStop)).toBe(1);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toContain(`error: cannot reach ${closed.url}/api/auth/challenge`);
  });

  it('listen prints message.created for its channel as JSON lines until stopped', async () => {
    server = await new FakeServer().start();
    const member = { publicKey: publicKey.hex, displayName: 'Me' };
    server.handlers['session.get'] = (_p, ack) =>
      ack({
        ok: true,
        data: { publicKey: publicKey.hex, member, server: { name: 'Fake' }, loginPass: LOGIN_PASS },
      });
    server.handlers['channels.list'] = (_p, ack) =>
      ack({ ok: true, data: { groups: [], channels: [{ id: 'chat' }, { id: 'welcome' }] } });
    const message = (channelId: string, seq: number): MessageDto => ({
      id: `${channelId}-${seq}`,
      channelId,
      seq,
      rev: seq,
      clientId: 'c',
      author: publicKey.hex,
      content: `${channelId} ${seq}`,
      mentions: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      editedAt: null,
    });
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const out: string[] = [];
    const err: string[] = [];
    const output = {
      out: (line: string) => {
        out.push(line);
        if (out.length === 2) stop();
      },
      err: (line: string) => {
        err.push(line);
        if (line.startsWith('listening')) {
          const fake = server;
          fake?.push('message.created', message('welcome', 1));
          fake?.push('message.created', message('chat', 1));
          fake?.push('message.created', message('chat', 1));
          fake?.push('message.created', message('chat', 2));
        }
      },
    };
    const argv = ['listen', '--server', server.url, '--key', keyFile, '--channel', 'chat'];
    expect(await runCli(argv, output, () => stopped)).toBe(0);
    expect(out.map((l) => JSON.parse(l) as MessageDto)).toEqual([message('chat', 1), message('chat', 2)]);
  });

  it('listen refuses an unknown channel and a key that has not joined', async () => {
    server = await new FakeServer().start();
    let member: unknown = { publicKey: publicKey.hex };
    server.handlers['session.get'] = (_p, ack) =>
      ack({ ok: true, data: { member, server: { name: 'Fake' }, loginPass: LOGIN_PASS } });
    server.handlers['channels.list'] = (_p, ack) =>
      ack({ ok: true, data: { groups: [], channels: [{ id: 'chat' }] } });
    const io = capture();
    const argv = ['listen', '--server', server.url, '--key', keyFile, '--channel', 'nope'];
    expect(await runCli(argv, io.output, neverStop)).toBe(1);
    expect(io.err).toEqual(['error: no channel "nope" on Fake (channels: chat)']);
    member = null;
    const again = capture();
    expect(await runCli(argv, again.output, neverStop)).toBe(1);
    expect(again.err[0]).toContain('has not joined Fake yet');
  });
});

describe('checkChallengeOrigin', () => {
  const server = 'https://chat.example.org';

  it('returns the origin to sign for when the challenge asks for the server URL origin', () => {
    expect(checkChallengeOrigin({ server, override: undefined, challengeOrigin: server })).toBe(server);
  });

  it('refuses any other origin without an override', () => {
    for (const challengeOrigin of [
      'https://bank.example',
      'http://chat.example.org',
      `${server}:8443`,
      `${server}/`,
    ]) {
      expect(() => checkChallengeOrigin({ server, override: undefined, challengeOrigin })).toThrow(CliError);
    }
  });

  it('with an override, accepts exactly the override and nothing else (not even the server URL)', () => {
    const override = 'https://public.example';
    expect(checkChallengeOrigin({ server, override, challengeOrigin: override })).toBe(override);
    expect(() => checkChallengeOrigin({ server, override, challengeOrigin: server })).toThrow(CliError);
  });
});
