import { answerLogin, harness, member, onlineHarness, OTHER_KEY, settle, until } from '../testing/fixtures';
import { MEMBERS_PAGE } from './members.state';

describe('MembersState', () => {
  it('loads the list at login, and subscribes to it only while something watches it', async () => {
    const { socket, members } = await onlineHarness();
    expect(socket.sent('members.list')).toHaveLength(1);
    expect(socket.sent('members.subscribe')).toHaveLength(0);

    const first = members.watch();
    const second = members.watch();
    await settle();
    expect(socket.sent('members.subscribe')).toHaveLength(1);

    first();
    first();
    await settle();
    expect(socket.sent('members.unsubscribe')).toHaveLength(0);
    second();
    await settle();
    expect(socket.sent('members.unsubscribe')).toHaveLength(1);
  });

  it('applies a push that arrives while the list is on its way after the list', async () => {
    const { socket, members, self } = await onlineHarness();
    socket.unhandle('members.subscribe');
    members.watch();
    await settle();
    const [request] = socket.sent('members.subscribe');
    // Ada went offline after the server read the list: the push overtakes the answer.
    socket.push('presence.updated', { publicKey: OTHER_KEY, online: false });
    request?.answer({ ok: true, data: [self, member(OTHER_KEY, 'Ada', { online: true })] });
    await settle();
    expect(members.members().get(OTHER_KEY)?.online).toBe(false);
  });

  it('subscribes at login when watched before the connection is online', async () => {
    const h = await harness();
    const release = h.members.watch();
    await h.session.connect();
    const socket = h.factory.last;
    answerLogin(socket, member(h.identity.publicKey.hex, 'Me'));
    socket.serverConnect();
    await until(() => h.session.status().kind === 'online', 'online');
    expect(socket.sent('members.subscribe')).toHaveLength(1);
    expect(socket.sent('members.list')).toHaveLength(0);
    release();
    await settle();
    expect(socket.sent('members.unsubscribe')).toHaveLength(1);
  });

  it('subscribes once online when watching started while the login read the plain list', async () => {
    const h = await harness();
    await h.session.connect();
    const socket = h.factory.last;
    answerLogin(socket, member(h.identity.publicKey.hex, 'Me'));
    socket.unhandle('members.list');
    socket.serverConnect();
    await until(() => socket.sent('members.list').length === 1, 'the login asked for the list');
    const release = h.members.watch();
    socket.sent('members.list')[0]?.answer({ ok: true, data: [member(h.identity.publicKey.hex, 'Me')] });
    await until(() => h.session.status().kind === 'online', 'online');
    await settle();
    expect(socket.sent('members.subscribe')).toHaveLength(1);
    release();
    await settle();
    expect(socket.sent('members.unsubscribe')).toHaveLength(1);
  });

  it('unsubscribes once online when the last watcher let go while the login subscribed', async () => {
    const h = await harness();
    const release = h.members.watch();
    await h.session.connect();
    const socket = h.factory.last;
    answerLogin(socket, member(h.identity.publicKey.hex, 'Me'));
    socket.unhandle('members.subscribe');
    socket.serverConnect();
    await until(() => socket.sent('members.subscribe').length === 1, 'the login subscribed');
    release();
    socket.sent('members.subscribe')[0]?.answer({ ok: true, data: [member(h.identity.publicKey.hex, 'Me')] });
    await until(() => h.session.status().kind === 'online', 'online');
    await settle();
    expect(socket.sent('members.unsubscribe')).toHaveLength(1);
    // Watching again subscribes again, once.
    h.members.watch();
    await settle();
    expect(socket.sent('members.subscribe')).toHaveLength(2);
  });

  it('applies a removal that overtakes the list after the list', async () => {
    const { socket, members, self } = await onlineHarness();
    socket.unhandle('members.subscribe');
    members.watch();
    await settle();
    socket.push('member.removed', { publicKey: OTHER_KEY, reason: 'revoked' });
    socket.sent('members.subscribe')[0]?.answer({ ok: true, data: [self, member(OTHER_KEY, 'Ada')] });
    await settle();
    expect(members.members().has(OTHER_KEY)).toBe(false);
  });

  it('loads a long list page by page, each after the last member of the one before', async () => {
    const h = await harness();
    const keys = Array.from({ length: MEMBERS_PAGE + 2 }, (_, i) => `02${i.toString(16).padStart(64, '0')}`);
    const all = keys.map((key, i) =>
      member(key, `Member ${i}`, { joinedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString() }),
    );
    await h.session.connect();
    const socket = h.factory.last;
    answerLogin(socket, member(h.identity.publicKey.hex, 'Me'));
    socket.unhandle('members.list');
    socket.serverConnect();
    await until(() => socket.sent('members.list').length === 1, 'the first page was asked for');
    const [first] = socket.sent('members.list');
    expect(first?.payload).toEqual({ limit: MEMBERS_PAGE });
    first?.answer({ ok: true, data: all.slice(0, MEMBERS_PAGE) });
    await until(() => socket.sent('members.list').length === 2, 'the second page was asked for');
    // A presence push between the pages waits for the whole list.
    socket.push('presence.updated', { publicKey: keys[MEMBERS_PAGE + 1] ?? '', online: false });
    const second = socket.sent('members.list')[1];
    const lastOfFirst = all[MEMBERS_PAGE - 1];
    expect(second?.payload).toEqual({
      limit: MEMBERS_PAGE,
      after: { joinedAt: lastOfFirst?.joinedAt, publicKey: lastOfFirst?.publicKey },
    });
    second?.answer({ ok: true, data: all.slice(MEMBERS_PAGE) });
    await settle();
    expect(socket.sent('members.list')).toHaveLength(2);
    expect(h.members.members().size).toBe(MEMBERS_PAGE + 2);
    expect(h.members.members().get(keys[MEMBERS_PAGE + 1] ?? '')?.online).toBe(false);
  });
});
