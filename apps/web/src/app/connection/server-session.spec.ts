import { buildLoginBytes, hexToBytes, publicKeyToJwk } from '@mpqcht/identity';

import { serverInfo } from '../testing/fake-socket';
import {
  answerLogin,
  channel,
  harness,
  member,
  onlineHarness,
  opened,
  OTHER_KEY,
  sessionDto,
  settle,
  until,
  URL_A,
} from '../testing/fixtures';
import { ServerUnreachable } from './server-http';

async function verifies(publicKey: Parameters<typeof publicKeyToJwk>[0], origin: string, proof: object) {
  const { nonce, signature } = proof as { nonce: string; signature: string };
  const nonceBytes = hexToBytes(nonce);
  const signatureBytes = hexToBytes(signature);
  if (!nonceBytes || !signatureBytes) throw new Error('proof is not hex');
  const key = await crypto.subtle.importKey(
    'jwk',
    publicKeyToJwk(publicKey),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signatureBytes as BufferSource,
    buildLoginBytes({ origin, nonce: nonceBytes, publicKey }) as BufferSource,
  );
}

describe('ServerConnection status', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('goes closed → connecting → online: session.get with a member, then channels.list and members.list', async () => {
    const { channels, members, session, factory, identity } = await harness();
    expect(session.status()).toEqual({ kind: 'closed' });

    const connecting = session.connect();
    expect(session.status()).toEqual({ kind: 'connecting' });
    await connecting;
    expect(factory.sockets.map((s) => s.url)).toEqual([URL_A]);
    const socket = factory.last;
    expect(socket.requests).toEqual([]);

    socket.serverConnect();
    await until(() => socket.pending('session.get') !== undefined, 'session.get');
    expect(session.status()).toEqual({ kind: 'connecting' });
    const self = member(identity.publicKey.hex, 'Me');
    socket.pending('session.get')?.ok(sessionDto(identity.publicKey.hex, self));

    await until(() => socket.pending('members.list') !== undefined, 'members.list');
    const channelsList = socket.pending('channels.list');
    const membersList = socket.pending('members.list');
    expect(channelsList?.payload).toEqual({});
    expect(session.status()).toEqual({ kind: 'connecting' });
    channelsList?.ok({
      groups: [{ id: 'general', name: 'General' }],
      channels: [
        channel('lobby', { lastSeq: 7, lastRev: 9 }, { lastReadSeq: 5, unreadCount: 2, mentionCount: 1 }),
      ],
    });
    membersList?.ok([self, member(OTHER_KEY, 'Ada')]);

    await until(() => session.status().kind === 'online', 'online');
    expect(session.self()).toEqual(self);
    expect(session.info()?.origin).toBe(URL_A);
    expect(channels.groups()).toEqual([{ id: 'general', name: 'General' }]);
    expect(channels.channels()).toEqual([
      {
        id: 'lobby',
        name: 'lobby',
        groupId: 'general',
        topic: '',
        lastSeq: 7,
        lastRev: 9,
        lastReadSeq: 5,
        lastReadMessageId: null,
        unread: 2,
        mentions: 1,
        rights: {
          write: true,
          moderate: false,
          manage: false,
          create_threads: true,
          manage_threads: false,
          maxMessageLength: 4000,
          slowmodeMs: 0,
        },
      },
    ]);
    expect([...members.members().keys()]).toEqual([identity.publicKey.hex, OTHER_KEY]);
    expect(members.memberName(OTHER_KEY)).toBe('Ada');
    for (const request of socket.requests) expect(request.timeoutMs).toBeGreaterThan(0);
  });

  it('waits in joining when the key has no member yet, and goes online after join()', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    socket.handle('session.get', () => ({ ok: true, data: sessionDto(identity.publicKey.hex, null) }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');
    await settle();
    expect(socket.sent('channels.list')).toEqual([]);
    expect(session.self()).toBeNull();

    const self = member(identity.publicKey.hex, 'Ada Lovelace');
    answerLogin(socket, self);
    socket.handle('member.join', () => ({ ok: true, data: self }));
    await session.join('Ada Lovelace');

    expect(socket.sent('member.join').map((r) => r.payload)).toEqual([{ displayName: 'Ada Lovelace' }]);
    expect(session.status()).toEqual({ kind: 'online' });
    expect(session.self()).toEqual(self);
    expect(socket.sent('channels.list')).toHaveLength(1);
    expect(socket.sent('members.list')).toHaveLength(1);
  });

  it('stays joining and rejects join() with the server code when the name is taken', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    socket.handle('session.get', () => ({ ok: true, data: sessionDto(identity.publicKey.hex, null) }));
    socket.handle('member.join', () => ({
      ok: false,
      error: { code: 'display_name_taken', message: 'someone has this name' },
    }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');

    await expect(session.join('Ada')).rejects.toMatchObject({
      code: 'display_name_taken',
      message: 'someone has this name',
    });
    expect(session.status()).toEqual({ kind: 'joining' });
  });

  it('is refused with the code and message of a not_a_member handshake refusal, and does not retry', async () => {
    jest.useFakeTimers();
    const { session, factory } = await harness();
    const socket = await opened(session, factory);

    socket.connectError('not_a_member', 'this key is not a member here');

    expect(session.status()).toEqual({
      kind: 'refused',
      code: 'not_a_member',
      message: 'this key is not a member here',
    });
    jest.advanceTimersByTime(120_000);
    await settle();
    expect(socket.connectCalls).toBe(1);
    expect(session.status().kind).toBe('refused');
  });

  it('is refused without retrying when the key holds too many connections, until asked to reconnect', async () => {
    jest.useFakeTimers();
    const { session, factory } = await harness();
    const socket = await opened(session, factory);

    socket.connectError('too_many_connections', 'this key already has 8 connections open here');

    expect(session.status()).toMatchObject({ kind: 'refused', code: 'too_many_connections' });
    jest.advanceTimersByTime(120_000);
    await settle();
    expect(socket.connectCalls).toBe(1);
  });

  it('signs a fresh challenge again after a challenge race (challenge_expired)', async () => {
    jest.useFakeTimers();
    const { session, factory, http } = await harness();
    const socket = await opened(session, factory);

    socket.connectError('challenge_expired', 'the challenge expired');

    // At least the 1 s the handshake outcome asks for, which is more than a first attempt's jitter.
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: 1_001_000 });
    jest.advanceTimersByTime(999);
    await settle();
    expect(socket.connectCalls).toBe(1);
    expect(http.challenges).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await settle();
    // A fresh challenge first, then the transport.
    expect(http.challenges).toHaveLength(2);
    expect(socket.connectCalls).toBe(2);
  });

  it('does not reopen a socket that was closed while a retry after a challenge race was scheduled', async () => {
    jest.useFakeTimers();
    const { session, factory } = await harness();
    const socket = await opened(session, factory);

    socket.connectError('challenge_unknown', 'the challenge was already used');
    session.close();
    jest.advanceTimersByTime(5_000);
    await settle();

    expect(socket.connectCalls).toBe(1);
    expect(session.status()).toEqual({ kind: 'closed' });
  });

  it('reconnects on its own schedule after a transport close: soon, then backing off, then online again', async () => {
    const { session, socket } = await onlineHarness();
    jest.useFakeTimers();

    socket.serverDisconnect('transport close');
    const first = session.status();
    expect(first).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    const firstDelay = (first.kind === 'reconnecting' && first.retryAt ? first.retryAt : 0) - 1_000_000;
    expect(firstDelay).toBeGreaterThanOrEqual(250);
    expect(firstDelay).toBeLessThanOrEqual(750);
    // The socket was opened once for the login (onlineHarness): the counts below are that plus the attempts.
    jest.advanceTimersByTime(firstDelay - 1);
    await settle();
    expect(socket.connectCalls).toBe(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(socket.connectCalls).toBe(2);
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: null });

    // The server is still down: the next attempt waits at most 1 s, the one after at most 2 s.
    socket.connectError(null, 'websocket error');
    expect(session.status()).toMatchObject({ kind: 'reconnecting', attempt: 2 });
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(socket.connectCalls).toBe(3);
    socket.connectError(null, 'websocket error');
    expect(session.status()).toMatchObject({ kind: 'reconnecting', attempt: 3 });
    jest.advanceTimersByTime(2_000);
    await settle();
    expect(socket.connectCalls).toBe(4);

    socket.serverConnect();
    await until(() => session.status().kind === 'online', 'online again');
    expect(socket.sent('session.get')).toHaveLength(2);
    expect(socket.sent('channels.list')).toHaveLength(2);

    // Logged in again: the next loss starts over with a quick attempt.
    socket.serverDisconnect('transport close');
    expect(session.status()).toMatchObject({ kind: 'reconnecting', attempt: 1 });
  });

  it('treats server.restarting and the transport close after it as a lost connection, retried soon', async () => {
    const { session, socket } = await onlineHarness();
    jest.useFakeTimers();

    socket.push('server.restarting', { reconnectAfterMs: 1_000 });
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: null });
    socket.serverDisconnect('transport close');
    jest.advanceTimersByTime(750);
    await settle();
    // The login's open, then the first attempt.
    expect(socket.connectCalls).toBe(2);
    // The new process is not up yet: the next attempts still come within a second each.
    for (let attempt = 2; attempt <= 8; attempt++) {
      socket.connectError(null, 'websocket error');
      jest.advanceTimersByTime(1_000);
      await settle();
      expect(socket.connectCalls).toBe(1 + attempt);
    }
  });

  it('starts a waiting attempt at once when asked (Reconnect now, the network is back, the tab is visible)', async () => {
    const { session, socket } = await onlineHarness();
    jest.useFakeTimers();
    socket.serverDisconnect('transport close');

    session.reconnectNow('button');
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: null });
    await settle();
    // The login's open, then this attempt.
    expect(socket.connectCalls).toBe(2);
    // The attempt running, nothing waits: asking again starts nothing more, nor does the old timer.
    session.reconnectNow('online');
    jest.advanceTimersByTime(60_000);
    await settle();
    expect(socket.connectCalls).toBe(2);
  });

  it('waits the longest delay while the browser has no network, for the online event to start it', async () => {
    jest.useFakeTimers();
    const { session, factory, deps } = await harness(URL_A, { online: () => false });
    const socket = await opened(session, factory);

    socket.connectError(null, 'websocket error');

    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: 1_030_000 });
    deps.online = () => true;
    session.reconnectNow('online');
    await settle();
    expect(socket.connectCalls).toBe(2);
  });

  it('does not start a rate-limited attempt early', async () => {
    jest.useFakeTimers();
    const { session, factory } = await harness();
    const socket = await opened(session, factory);
    socket.connectError('rate_limited', 'too many logins', { retryAfterMs: 30_000 });

    session.reconnectNow('visible');
    await settle();

    expect(socket.connectCalls).toBe(1);
    expect(session.status().kind).toBe('rate_limited');
  });

  it('refuses origin_mismatch when /api/server names another origin, without creating a socket', async () => {
    const { session, factory, http } = await harness();
    http.info = () => serverInfo('https://elsewhere.example.net');

    await session.connect();

    expect(session.status()).toMatchObject({ kind: 'refused', code: 'origin_mismatch' });
    const status = session.status();
    expect(status.kind === 'refused' && status.message).toContain('https://elsewhere.example.net');
    expect(factory.sockets).toEqual([]);
    expect(http.challenges).toEqual([]);
  });

  it('asks /api/server again on the reconnect schedule while the server cannot be reached', async () => {
    jest.useFakeTimers();
    const { session, factory, http } = await harness();
    http.info = () => new ServerUnreachable(`cannot reach ${URL_A}`);

    await session.connect();

    expect(session.status()).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      reason: `cannot reach ${URL_A}`,
    });
    expect(factory.sockets).toEqual([]);
    jest.advanceTimersByTime(750);
    await settle();
    expect(http.infoCalls).toEqual([URL_A, URL_A]);
    expect(session.status()).toMatchObject({ kind: 'reconnecting', attempt: 2 });

    http.info = (url) => serverInfo(url);
    session.reconnectNow('button');
    await settle();
    expect(factory.sockets).toHaveLength(1);
  });

  it('is refused and stops reconnecting when the session ends (revoked)', async () => {
    const { session, socket } = await onlineHarness();
    jest.useFakeTimers();

    socket.push('session.ended', { reason: 'revoked', message: 'an admin revoked this key' });
    socket.serverDisconnect('io server disconnect');

    expect(session.status()).toEqual({
      kind: 'refused',
      code: 'revoked',
      message: 'an admin revoked this key',
    });
    jest.advanceTimersByTime(60_000);
    await settle();
    expect(socket.connectCalls).toBe(1);
  });

  it('reconnect() after a refusal closes the old socket and opens a new one', async () => {
    const { session, factory } = await harness();
    await session.connect();
    const first = factory.last;
    first.connectError('not_a_member', 'not a member');

    await session.reconnect();

    expect(first.disconnectCalls).toBe(1);
    expect(first.listenerCount('connect')).toBe(0);
    expect(factory.sockets).toHaveLength(2);
    expect(session.status()).toEqual({ kind: 'connecting' });
  });

  it('close() removes every listener, disconnects, and is closed', async () => {
    const { session, socket } = await onlineHarness();

    session.close();

    expect(session.status()).toEqual({ kind: 'closed' });
    expect(socket.disconnectCalls).toBe(1);
    expect(socket.listenerCount('message.created')).toBe(0);
    await expect(session.request('channels.list', {})).rejects.toMatchObject({ code: 'offline' });
  });
});

describe('ServerConnection login proof', () => {
  it('signs a fresh challenge on every auth call, bound to the origin it connected to', async () => {
    const { session, factory, http, identity } = await harness();
    await session.connect();
    const socket = factory.last;

    const first = await socket.requestAuth();
    const second = await socket.requestAuth();

    expect(http.challenges).toHaveLength(2);
    const [c1, c2] = http.challenges;
    expect(c1?.nonce).not.toBe(c2?.nonce);
    for (const [proof, challenge] of [
      [first, c1],
      [second, c2],
    ] as const) {
      expect(Object.keys(proof).sort()).toEqual(['nonce', 'publicKey', 'signature']);
      expect(proof).toMatchObject({ publicKey: identity.publicKey.hex, nonce: challenge?.nonce });
      expect((proof as { signature: string }).signature).toMatch(/^[0-9a-f]{128}$/);
      expect(await verifies(identity.publicKey, URL_A, proof)).toBe(true);
      expect(await verifies(identity.publicKey, 'https://elsewhere.example.net', proof)).toBe(false);
    }
  });

  it('treats auth_malformed after a real proof as a final refusal', async () => {
    const { session, factory } = await harness();
    await session.connect();
    const socket = factory.last;
    await socket.requestAuth();

    socket.connectError('auth_malformed', 'auth must be { publicKey, nonce, signature }');

    expect(session.status()).toMatchObject({ kind: 'refused', code: 'auth_malformed' });
  });

  it('opens no transport when the challenge cannot be fetched, and retries instead of giving up', async () => {
    jest.useFakeTimers();
    try {
      const { session, factory, http } = await harness();
      http.challengeError = new ServerUnreachable('database unavailable');
      await session.connect();
      await settle();
      const socket = factory.last;

      // No handshake at all, so not even an empty auth: the server would count it as a failed
      // login (issue 13).
      expect(socket.connectCalls).toBe(0);
      expect(session.status().kind).toBe('reconnecting');
      http.challengeError = null;
      jest.advanceTimersByTime(1_000);
      await settle();
      expect(socket.connectCalls).toBe(1);
      jest.useRealTimers();
      expect(await socket.requestAuth()).toMatchObject({ nonce: http.challenges[0]?.nonce });
    } finally {
      jest.useRealTimers();
    }
  });
});
