import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

import type { Envelope } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, nextPush, ok, rawRequest, type TestSocket } from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';

/**
 * What docs/protocol.md says about the Socket.IO endpoint itself (namespace, path, transports), about
 * frames the server refuses, the shape of validation issues, and the pushes a socket gets before
 * `member.join`: the parts an independent client had to guess.
 */
describe('the contract', () => {
  let api: ApiProcess;
  let root: TestIdentity;
  let rootSocket: TestSocket;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    root = await newIdentity();
    api = await startApi({ configToml: defaultConfig([root.publicKey.hex]) });
    rootSocket = await connect(api, root);
    sockets.push(rootSocket);
    await ok(rootSocket, 'member.join', { displayName: 'Root' });
    // Root watches the member list (presence and joins go to its subscribers only).
    await ok(rootSocket, 'members.subscribe', {});
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await api.dispose();
  });

  /** A socket.io-client socket with its own options; resolves once connected. */
  async function open(options: Parameters<typeof io>[1], url = api.url): Promise<Socket> {
    const socket = io(url, {
      auth: (cb) => {
        void loginProof(root, api.url, api.origin).then((proof) => {
          cb({ ...proof });
        });
      },
      reconnection: false,
      forceNew: true,
      ...options,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        resolve(socket);
      });
      socket.once('connect_error', reject);
    });
  }

  /** The next disconnect: socket.io-client's reason and, for a closed WebSocket, the close code. */
  function disconnected(socket: Socket): Promise<{ reason: string; code: unknown }> {
    return new Promise((resolve) => {
      socket.once('disconnect', (reason, description) => {
        const context: unknown = description && 'context' in description ? description.context : undefined;
        const code: unknown =
          typeof context === 'object' && context !== null ? Reflect.get(context, 'code') : undefined;
        resolve({ reason, code });
      });
    });
  }

  interface RawClose {
    readonly code: number;
    readonly reason: string;
    /** Engine.IO packets received after the Socket.IO connect was acknowledged. */
    readonly after: string[];
  }

  /**
   * A bare WebSocket speaking Engine.IO 4 / Socket.IO 5 by hand: logs in, sends `frame` once the
   * namespace is joined, and resolves with how the server closed the connection.
   */
  async function rawClose(frame: string | Buffer): Promise<RawClose> {
    const proof = await loginProof(root, api.url, api.origin);
    const ws = new WebSocket(`${api.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const after: string[] = [];
    let joined = false;
    return new Promise((resolve) => {
      ws.on('message', (data: Buffer) => {
        const packet = data.toString();
        if (joined) after.push(packet);
        else if (packet.startsWith('0{')) ws.send(`40${JSON.stringify(proof)}`);
        else if (packet.startsWith('40{')) {
          joined = true;
          ws.send(frame);
        }
      });
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString(), after });
      });
    });
  }

  describe('the Socket.IO endpoint', () => {
    it('is the default namespace at /socket.io/, over WebSocket, long-polling, or polling upgraded', async () => {
      const websocket = await open({ transports: ['websocket'] });
      const polling = await open({ transports: ['polling'] });
      expect(polling.io.engine.transport.name).toBe('polling');
      for (const socket of [websocket, polling]) {
        const envelope = (await socket.emitWithAck('session.get', {})) as Envelope<{ publicKey: string }>;
        expect(envelope).toMatchObject({ ok: true, data: { publicKey: root.publicKey.hex } });
      }
      const upgraded = await open({ transports: ['polling', 'websocket'] });
      if (upgraded.io.engine.transport.name !== 'websocket') {
        await new Promise((resolve) => upgraded.io.engine.once('upgrade', resolve));
      }
      expect(upgraded.io.engine.transport.name).toBe('websocket');

      const handshake = await fetch(`${api.url}/socket.io/?EIO=4&transport=polling`);
      expect(handshake.status).toBe(200);
      expect(await handshake.text()).toMatch(/^0\{"sid":/);
      // Another path is no Engine.IO endpoint (it is the web client's, when that is built).
      const elsewhere = await fetch(`${api.url}/ws/?EIO=4&transport=polling`);
      expect(await elsewhere.text()).not.toMatch(/^0\{"sid":/);
      // Engine.IO 3 (Socket.IO 2 clients) is refused.
      const old = await fetch(`${api.url}/socket.io/?EIO=3&transport=polling`);
      expect([old.status, await old.json()]).toEqual([
        400,
        { code: 5, message: 'Unsupported protocol version' },
      ]);
    });

    it('refuses any other namespace with connect_error "Invalid namespace" and no data', async () => {
      const error = (await open({ transports: ['websocket'] }, `${api.url}/admin`).then(
        () => new Error('connected'),
        (refusal: unknown) => refusal,
      )) as Error & { data?: unknown };
      expect(error.message).toBe('Invalid namespace');
      expect(error.data).toBeUndefined();
    });
  });

  describe('frames the server does not read', () => {
    it('closes the WebSocket with 1009 for a frame above the size limit, and sends nothing first', async () => {
      const closed = await rawClose(`42["session.get",{"x":"${'x'.repeat(70 * 1024)}"}]`);
      expect(closed).toEqual({ code: 1009, reason: '', after: [] });

      const socket = await open({ transports: ['websocket'] });
      const gone = disconnected(socket);
      socket.emit('session.get', { x: 'x'.repeat(70 * 1024) });
      expect(await gone).toEqual({ reason: 'transport close', code: 1009 });
    });

    it('answers a long-polling POST above the size limit with HTTP 413, which the client sees as a transport error', async () => {
      const socket = await open({ transports: ['polling'] });
      const gone = disconnected(socket);
      socket.emit('session.get', { x: 'x'.repeat(70 * 1024) });
      expect(await gone).toEqual({ reason: 'transport error', code: undefined });
    });

    it.each([
      ['an unknown packet type', '4zzz'],
      ['an event that is not an array', '42{"event":"session.get"}'],
      ['JSON that does not parse', '42["session.get",'],
      ['a reserved event name', '42["disconnect"]'],
      ['an unknown Engine.IO packet type', 'zzz'],
      ['a binary frame', Buffer.from([1, 2, 3])],
    ])(
      'closes the WebSocket without a status code (1005) for %s, and sends nothing first',
      async (_what, frame) => {
        expect(await rawClose(frame)).toEqual({ code: 1005, reason: '', after: [] });
      },
    );

    it('closes a socket.io-client socket that sends a malformed packet with reason "transport close"', async () => {
      const socket = await open({ transports: ['websocket'] });
      const gone = disconnected(socket);
      const engine = socket.io.engine as unknown as { write(packet: string): void };
      engine.write('42["x",');
      expect(await gone).toEqual({ reason: 'transport close', code: 1005 });
    });

    it('answers a well-formed event whose payload is not an object with validation_failed and stays open', async () => {
      const socket = await open({ transports: ['websocket'] });
      for (const payload of ['hello', 42, null, [{}]]) {
        const envelope = await rawRequest(socket, 'session.get', payload);
        expect(envelope).toMatchObject({
          ok: false,
          error: { code: 'validation_failed', details: { issues: [expect.objectContaining({ path: '' })] } },
        });
      }
      expect(socket.connected).toBe(true);
    });
  });

  describe('details.issues[].path', () => {
    it('joins keys and array indexes with dots, and is empty for the payload itself', async () => {
      const friend = await newIdentity();
      const issues = async (payload: unknown) => {
        const envelope = await rawRequest(rootSocket, 'members.authorize', payload);
        if (envelope.ok) throw new Error('accepted');
        return envelope.error.details?.['issues'];
      };
      const key = friend.publicKey.hex;
      expect(await issues({ publicKey: key, roles: ['plain', 'Not A Role!'] })).toEqual([
        { path: 'roles.1', message: expect.any(String) as string },
      ]);
      expect(await issues({ publicKey: key, roles: 'plain' })).toEqual([
        { path: 'roles', message: expect.any(String) as string },
      ]);
      expect(await issues({ publicKey: key, extra: 1 })).toEqual([
        { path: '', message: 'unknown field(s): extra' },
      ]);
      expect(await issues('not an object')).toEqual([{ path: '', message: expect.any(String) as string }]);
    });
  });

  describe('content length', () => {
    it('is validation_failed above 32,000 code points whatever the limit, message_too_long within it', async () => {
      const send = (content: string) =>
        rawRequest(rootSocket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content });
      // The lobby's limit is 500 code points (defaultConfig).
      expect(await send('a'.repeat(32_001))).toMatchObject({
        ok: false,
        error: {
          code: 'validation_failed',
          details: { issues: [expect.objectContaining({ path: 'content' })] },
        },
      });
      expect(await send('a'.repeat(32_000))).toMatchObject({
        ok: false,
        error: { code: 'message_too_long', details: { max: 500 } },
      });
      // Code points, not UTF-16 units: 16,001 emoji are 32,002 units and still within the bound.
      expect(await send('😀'.repeat(16_001))).toMatchObject({
        ok: false,
        error: { code: 'message_too_long', details: { max: 500 } },
      });
    });
  });

  describe('an admitted key that has not joined', () => {
    it('gets no pushes but session.ended (and server.restarting), and every push once it joins', async () => {
      const friend = await newIdentity();
      await ok(rootSocket, 'members.authorize', { publicKey: friend.publicKey.hex, roles: [] });
      const waiting = await connect(api, friend);
      sockets.push(waiting);
      const seen: string[] = [];
      waiting.onAny((event: string) => {
        seen.push(event);
      });

      // A witness that joins sees each of these; the socket that has not joined sees none.
      const other = await newIdentity();
      await ok(rootSocket, 'members.authorize', { publicKey: other.publicKey.hex, roles: [] });
      const witness = await connect(api, other);
      sockets.push(witness);
      const joined = nextPush(rootSocket, 'member.joined');
      await ok(witness, 'member.join', { displayName: 'Witness' });
      await joined;
      const typing = nextPush(witness, 'typing.started');
      await ok(rootSocket, 'typing.start', { channelId: 'lobby' });
      await typing;
      const created = nextPush(witness, 'message.created');
      const message = await ok(rootSocket, 'messages.send', {
        channelId: 'lobby',
        clientId: randomUUID(),
        content: 'not for sockets that have not joined',
      });
      await created;
      const updated = nextPush(witness, 'message.updated');
      await ok(rootSocket, 'messages.edit', { messageId: message.id, content: 'edited' });
      await updated;
      // Roles of a key that has not joined: no channels.changed either.
      await ok(rootSocket, 'members.setRoles', { publicKey: friend.publicKey.hex, roles: ['plain'] });
      // Pushes and acks share the connection in order: anything pushed above arrived before this ack.
      await ok(waiting, 'session.get', {});
      expect(seen).toEqual([]);

      // Once it joins, it is a member like any other (the test above is not vacuous).
      await ok(waiting, 'member.join', { displayName: 'Latecomer' });
      const afterJoin = nextPush(waiting, 'message.created');
      await ok(rootSocket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'now' });
      expect((await afterJoin).content).toBe('now');
    });

    it('gets session.ended when its key is kicked', async () => {
      const friend = await newIdentity();
      await ok(rootSocket, 'members.authorize', { publicKey: friend.publicKey.hex, roles: [] });
      const waiting = await connect(api, friend);
      sockets.push(waiting);
      const ended = nextPush(waiting, 'session.ended');
      await ok(rootSocket, 'members.kick', { publicKey: friend.publicKey.hex });
      expect(await ended).toMatchObject({ reason: 'kicked' });
    });
  });
});
