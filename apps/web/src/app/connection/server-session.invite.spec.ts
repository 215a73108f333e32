import { harness, opened, settle } from '../testing/fixtures';

const CODE = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('ServerConnection invite', () => {
  it('sends the invite with each login until one succeeds, and never after', async () => {
    const { session, factory, identity } = await harness();
    session.useInvite(CODE);
    await session.connect();
    const socket = factory.last;

    const first = await socket.requestAuth();
    expect(Object.keys(first).sort()).toEqual(['invite', 'nonce', 'publicKey', 'signature']);
    expect(first).toMatchObject({ publicKey: identity.publicKey.hex, invite: CODE });

    // A challenge race: the retry still carries the invite (the key is not a member yet).
    socket.connectError('challenge_expired', 'this nonce has expired');
    expect(await socket.requestAuth()).toMatchObject({ invite: CODE });

    socket.serverConnect();
    const later = await socket.requestAuth();
    expect(Object.keys(later).sort()).toEqual(['nonce', 'publicKey', 'signature']);
    session.close();
  });

  it('sends no invite when none was given', async () => {
    const { session, factory } = await harness();
    await session.connect();
    expect(await factory.last.requestAuth()).not.toHaveProperty('invite');
  });

  it('treats invite_invalid as a final refusal', async () => {
    const { session, factory } = await harness();
    session.useInvite(CODE);
    const socket = await opened(session, factory);
    await socket.requestAuth();

    socket.connectError('invite_invalid', 'this invite code is unknown, expired, revoked or used up');

    expect(session.status()).toMatchObject({ kind: 'refused', code: 'invite_invalid' });
    await settle();
    expect(socket.connectCalls).toBe(1);
  });
});
