import { ChallengeUnavailable, ProtocolFailure } from '@mpqcht/protocol-client';

import { harness, member, opened, sessionDto, settle, until, URL_A } from '../testing/fixtures';

/** Runs the handshake's auth callback and tells whether it sent anything (it may never). */
async function authSent(socket: { requestAuth(): Promise<object> }): Promise<object | null> {
  let sent: object | null = null;
  void socket.requestAuth().then((auth) => (sent = auth));
  await settle();
  return sent;
}

describe('ServerConnection first join', () => {
  it('goes online from the member.join answer without asking session.get again when the member has no roles', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    const key = identity.publicKey.hex;
    socket.handle('session.get', () => ({
      ok: true,
      data: sessionDto(key, null, URL_A, ['invite']),
    }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');

    const self = member(key, 'Ada');
    socket.handle('member.join', () => ({ ok: true, data: self }));
    socket.handle('channels.list', () => ({ ok: true, data: { groups: [], channels: [] } }));
    socket.handle('members.list', () => ({ ok: true, data: [self] }));
    await session.join('Ada');

    // The permissions session.get gave before the join are those of a member without roles.
    expect(socket.sent('session.get')).toHaveLength(1);
    expect(session.status()).toEqual({ kind: 'online' });
    expect(session.self()).toEqual(self);
    expect([...session.permissions()]).toEqual(['invite']);
  });

  it('asks session.get again when the join gave the member roles (their permissions are the server’s to tell)', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    const key = identity.publicKey.hex;
    socket.handle('session.get', () => ({ ok: true, data: sessionDto(key, null) }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');

    const self = member(key, 'Ada', { roles: ['moderator'] });
    socket.handle('member.join', () => ({ ok: true, data: self }));
    socket.handle('session.get', () => ({
      ok: true,
      data: sessionDto(key, self, URL_A, ['manage_members']),
    }));
    socket.handle('channels.list', () => ({ ok: true, data: { groups: [], channels: [] } }));
    socket.handle('members.list', () => ({ ok: true, data: [self] }));
    await session.join('Ada');

    expect(socket.sent('session.get')).toHaveLength(2);
    expect([...session.permissions()]).toEqual(['manage_members']);
  });
});

describe('ServerConnection without a challenge', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('opens no transport when the challenge cannot be fetched: it tries again later, challenge first', async () => {
    jest.useFakeTimers();
    const { session, factory, http } = await harness();
    http.challengeError = new ChallengeUnavailable(
      'unreachable',
      `${URL_A}/api/auth/challenge`,
      'cannot reach',
    );
    await session.connect();
    await settle();
    const socket = factory.last;

    // No handshake, so no empty auth, which would be refused as a failed login and spend the
    // address's budget.
    expect(socket.connectCalls).toBe(0);
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: 1_001_000 });

    http.challengeError = null;
    jest.advanceTimersByTime(999);
    await settle();
    expect(socket.connectCalls).toBe(0);
    jest.advanceTimersByTime(1);
    await settle();
    expect(socket.connectCalls).toBe(1);
    // WebCrypto signs outside the fake clock.
    jest.useRealTimers();
    expect(await socket.requestAuth()).toMatchObject({
      publicKey: session.publicKey,
      nonce: http.challenges[0]?.nonce,
    });
  });

  it('sends no handshake auth when a handshake asks for one and the challenge cannot be fetched', async () => {
    jest.useFakeTimers();
    const { session, factory, http } = await harness();
    const socket = await opened(session, factory);
    // The challenge open() got is used; the next handshake of this socket must fetch its own.
    await socket.requestAuth();
    http.challengeError = new ChallengeUnavailable(
      'unreachable',
      `${URL_A}/api/auth/challenge`,
      'cannot reach',
    );

    expect(await authSent(socket)).toBeNull();
    expect(socket.disconnectCalls).toBe(1);
    expect(session.status()).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: 1_001_000 });
  });

  it('does not retry after the connection was closed while the challenge was failing', async () => {
    jest.useFakeTimers();
    const { session, factory, http } = await harness();
    http.challengeError = new ChallengeUnavailable(
      'unreachable',
      `${URL_A}/api/auth/challenge`,
      'cannot reach',
    );
    await session.connect();
    await settle();
    const socket = factory.last;

    session.close();
    jest.advanceTimersByTime(60_000);
    await settle();

    expect(socket.connectCalls).toBe(0);
    expect(session.status()).toEqual({ kind: 'closed' });
  });
});

describe('ServerConnection rate limited', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows a 429 on the challenge as rate limited, and tries again after retryAfterMs', async () => {
    jest.useFakeTimers();
    const { session, factory, http, clock } = await harness();
    http.challengeError = new ProtocolFailure('rate_limited', 'too many challenges from this address', {
      retryAfterMs: 12_000,
    });
    await session.connect();
    await settle();
    const socket = factory.last;

    expect(socket.connectCalls).toBe(0);
    expect(session.status()).toEqual({ kind: 'rate_limited', retryAt: clock.now + 12_000 });
    http.challengeError = null;
    jest.advanceTimersByTime(11_999);
    await settle();
    expect(socket.connectCalls).toBe(0);
    jest.advanceTimersByTime(1);
    await settle();
    expect(socket.connectCalls).toBe(1);
  });

  it('shows a rate_limited handshake refusal as rate limited, and tries again after retryAfterMs', async () => {
    jest.useFakeTimers();
    const { session, factory, clock } = await harness();
    const socket = await opened(session, factory);

    socket.connectError('rate_limited', 'too many failed logins from this address', { retryAfterMs: 30_000 });

    expect(session.status()).toEqual({ kind: 'rate_limited', retryAt: clock.now + 30_000 });
    jest.advanceTimersByTime(29_999);
    await settle();
    expect(socket.connectCalls).toBe(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(socket.connectCalls).toBe(2);
  });
});
