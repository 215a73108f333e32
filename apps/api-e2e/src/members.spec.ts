import { randomUUID } from 'node:crypto';

import type { MemberDto } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import {
  collectPushes,
  connect,
  connectRefused,
  fails,
  nextPush,
  ok,
  type TestSocket,
  waitForDisconnect,
} from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';
import { pushMatching } from './support/push-matching';

interface Member {
  readonly identity: TestIdentity;
  readonly publicKey: string;
  readonly socket: TestSocket;
}

describe('members', () => {
  let api: ApiProcess;
  let root: Member;
  const sockets: TestSocket[] = [];
  let names = 0;

  beforeAll(async () => {
    const identity = await newIdentity();
    api = await startApi({ configToml: defaultConfig([identity.publicKey.hex]) });
    const socket = await login(identity);
    await ok(socket, 'member.join', { displayName: 'Root' });
    // Root watches the member list, as the web client does for the server on screen.
    await ok(socket, 'members.subscribe', {});
    root = { identity, publicKey: identity.publicKey.hex, socket };
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await api.dispose();
  });

  async function login(identity: TestIdentity): Promise<TestSocket> {
    const socket = await connect(api, identity);
    sockets.push(socket);
    return socket;
  }

  /** The handshake refusal code for a fresh, correctly signed proof of `identity`. */
  async function loginRefusal(identity: TestIdentity) {
    return (await connectRefused(api, await loginProof(identity, api.url, api.origin))).data?.code;
  }

  function uniqueName(prefix: string): string {
    names += 1;
    return `${prefix} ${names}`;
  }

  /** A key authorized by root with `roles`, logged in and joined under a fresh display name. */
  async function joinedMember(roles: string[] = []): Promise<Member> {
    const identity = await newIdentity();
    await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles });
    const socket = await login(identity);
    await ok(socket, 'member.join', { displayName: uniqueName('Member') });
    return { identity, publicKey: identity.publicKey.hex, socket };
  }

  async function listed(publicKey: string): Promise<MemberDto | undefined> {
    return (await ok(root.socket, 'members.list', {})).find((m) => m.publicKey === publicKey);
  }

  describe('authorization', () => {
    it('lets root authorize a key with roles; the key logs in, joins and carries the roles', async () => {
      const newcomer = await newIdentity();
      const authorized = await ok(root.socket, 'members.authorize', {
        publicKey: newcomer.publicKey.hex,
        roles: ['plain', 'helper', 'plain'],
      });
      expect(authorized.publicKey).toBe(newcomer.publicKey.hex);
      expect([...authorized.roles].sort()).toEqual(['helper', 'plain']);
      expect(Number.isNaN(Date.parse(authorized.authorizedAt))).toBe(false);

      const socket = await login(newcomer);
      const session = await ok(socket, 'session.get', {});
      expect(session).toMatchObject({ publicKey: newcomer.publicKey.hex, isRoot: false, member: null });
      expect(await listed(newcomer.publicKey.hex)).toBeUndefined();

      const announced = pushMatching(
        root.socket,
        'member.joined',
        (m) => m.publicKey === newcomer.publicKey.hex,
      );
      const joined = await ok(socket, 'member.join', { displayName: 'Newcomer' });
      expect(joined).toMatchObject({
        publicKey: newcomer.publicKey.hex,
        displayName: 'Newcomer',
        isRoot: false,
        online: true,
      });
      expect([...joined.roles].sort()).toEqual(['helper', 'plain']);
      expect(await announced).toEqual(joined);
      expect(await listed(newcomer.publicKey.hex)).toEqual(joined);
    });

    it('refuses an unknown role or an invalid key with validation_failed and authorizes nothing', async () => {
      const hopeful = await newIdentity();
      expect(
        await fails(root.socket, 'members.authorize', {
          publicKey: hopeful.publicKey.hex,
          roles: ['plain', 'emperor'],
        }),
      ).toBe('validation_failed');
      expect(
        await fails(root.socket, 'members.authorize', { publicKey: `02${'ff'.repeat(32)}`, roles: [] }),
      ).toBe('validation_failed');
      expect(
        await fails(root.socket, 'members.authorize', {
          publicKey: hopeful.publicKey.hex.slice(0, 64),
          roles: [],
        }),
      ).toBe('validation_failed');
      expect(await loginRefusal(hopeful)).toBe('not_a_member');
    });

    it('forbids a plain member to authorize or revoke, and nothing changes', async () => {
      const plain = await joinedMember(['plain']);
      const target = await joinedMember();
      const outsider = await newIdentity();

      expect(
        await fails(plain.socket, 'members.authorize', { publicKey: outsider.publicKey.hex, roles: [] }),
      ).toBe('forbidden');
      expect(
        await fails(plain.socket, 'members.authorize', { publicKey: plain.publicKey, roles: ['helper'] }),
      ).toBe('forbidden');
      expect(await fails(plain.socket, 'members.revoke', { publicKey: target.publicKey })).toBe('forbidden');
      expect(await fails(plain.socket, 'members.revoke', { publicKey: root.publicKey })).toBe('forbidden');

      expect(await loginRefusal(outsider)).toBe('not_a_member');
      expect((await ok(plain.socket, 'session.get', {})).member?.roles).toEqual(['plain']);
      expect(target.socket.connected).toBe(true);
      expect((await ok(target.socket, 'session.get', {})).member?.publicKey).toBe(target.publicKey);
      expect(await listed(target.publicKey)).toMatchObject({ publicKey: target.publicKey, online: true });
      await login(target.identity);
    });

    it('lets a member with the helper role (manage_members) authorize a key', async () => {
      const helper = await joinedMember(['helper']);
      const invited = await newIdentity();
      const authorized = await ok(helper.socket, 'members.authorize', {
        publicKey: invited.publicKey.hex,
        roles: ['plain'],
      });
      expect(authorized).toMatchObject({ publicKey: invited.publicKey.hex, roles: ['plain'] });
      const socket = await login(invited);
      const joined = await ok(socket, 'member.join', { displayName: uniqueName('Invited') });
      expect(joined).toMatchObject({ publicKey: invited.publicKey.hex, roles: ['plain'] });
    });

    it('applies a role change to a live session: a promoted member may authorize at once', async () => {
      const promoted = await joinedMember(['plain']);
      const invited = await newIdentity();
      expect(
        await fails(promoted.socket, 'members.authorize', { publicKey: invited.publicKey.hex, roles: [] }),
      ).toBe('forbidden');

      await ok(root.socket, 'members.authorize', { publicKey: promoted.publicKey, roles: ['helper'] });
      await ok(promoted.socket, 'members.authorize', { publicKey: invited.publicKey.hex, roles: [] });
      await login(invited);

      await ok(root.socket, 'members.authorize', { publicKey: promoted.publicKey, roles: [] });
      const stranger = await newIdentity();
      expect(
        await fails(promoted.socket, 'members.authorize', { publicKey: stranger.publicKey.hex, roles: [] }),
      ).toBe('forbidden');
      // Re-authorizing changed the roles only: the member keeps its name and stays joined.
      expect(await listed(promoted.publicKey)).toMatchObject({ publicKey: promoted.publicKey, roles: [] });
    });
  });

  describe('joining', () => {
    it('keeps display names unique per server, ignoring case', async () => {
      const first = await newIdentity();
      const second = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: first.publicKey.hex, roles: [] });
      await ok(root.socket, 'members.authorize', { publicKey: second.publicKey.hex, roles: [] });
      const firstSocket = await login(first);
      const secondSocket = await login(second);

      await ok(firstSocket, 'member.join', { displayName: 'Marguerite' });
      for (const displayName of ['Marguerite', 'marguerite', 'MARGUERITE', 'mArGuErItE']) {
        expect(await fails(secondSocket, 'member.join', { displayName })).toBe('display_name_taken');
      }
      expect(await fails(secondSocket, 'member.join', { displayName: 'root' })).toBe('display_name_taken');
      expect((await ok(secondSocket, 'session.get', {})).member).toBeNull();

      const joined = await ok(secondSocket, 'member.join', { displayName: 'Marguerite 2' });
      expect(joined.displayName).toBe('Marguerite 2');
      expect((await listed(first.publicKey.hex))?.displayName).toBe('Marguerite');
    });

    it('ignores case in names of any script, not only ASCII', async () => {
      const other = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: other.publicKey.hex, roles: [] });
      const otherSocket = await login(other);
      const pairs = [
        ['Émile', 'émile'],
        ['Жанна', 'ЖАННА'],
        ['Ærø', 'ærø'],
      ] as const;
      for (const [name, variant] of pairs) {
        const holder = await newIdentity();
        await ok(root.socket, 'members.authorize', { publicKey: holder.publicKey.hex, roles: [] });
        await ok(await login(holder), 'member.join', { displayName: name });
        expect([variant, await fails(otherSocket, 'member.join', { displayName: variant })]).toEqual([
          variant,
          'display_name_taken',
        ]);
      }
      expect((await ok(otherSocket, 'session.get', {})).member).toBeNull();
    });

    it('refuses invalid display names with validation_failed and leaves the key unjoined', async () => {
      const identity = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [] });
      const socket = await login(identity);
      const invalid = [
        '',
        ' Leading',
        'Trailing ',
        'Double  space',
        'Dash-',
        '-Dash',
        'Semi;colon',
        '<script>',
        'Tab\tname',
        'Line\nbreak',
        'x'.repeat(33),
      ];
      for (const displayName of invalid) {
        expect([displayName, await fails(socket, 'member.join', { displayName })]).toEqual([
          displayName,
          'validation_failed',
        ]);
      }
      expect(await fails(socket, 'member.join', {} as { displayName: string })).toBe('validation_failed');
      expect(
        await fails(socket, 'member.join', { displayName: 'Valid', extra: true } as { displayName: string }),
      ).toBe('validation_failed');
      expect((await ok(socket, 'session.get', {})).member).toBeNull();

      const longest = `Ä${'x'.repeat(30)}9`;
      expect((await ok(socket, 'member.join', { displayName: longest })).displayName).toBe(longest);
    });

    it('refuses a second join with already_joined and keeps the first name', async () => {
      const member = await joinedMember();
      const before = (await ok(member.socket, 'session.get', {})).member;
      expect(before).not.toBeNull();
      expect(await fails(member.socket, 'member.join', { displayName: uniqueName('Again') })).toBe(
        'already_joined',
      );
      const other = await login(member.identity);
      expect(await fails(other, 'member.join', { displayName: uniqueName('Again') })).toBe('already_joined');
      expect((await ok(member.socket, 'session.get', {})).member?.displayName).toBe(before?.displayName);
      expect(await fails(root.socket, 'member.join', { displayName: uniqueName('Root') })).toBe(
        'already_joined',
      );
    });

    it('answers events before join with not_joined', async () => {
      const identity = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles: ['helper'] });
      const socket = await login(identity);
      expect(await fails(socket, 'channels.list', {})).toBe('not_joined');
      expect(await fails(socket, 'members.list', {})).toBe('not_joined');
      expect(
        await fails(socket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'hi' }),
      ).toBe('not_joined');
      expect(
        await fails(socket, 'members.authorize', {
          publicKey: (await newIdentity()).publicKey.hex,
          roles: [],
        }),
      ).toBe('not_joined');
      expect((await ok(socket, 'session.get', {})).member).toBeNull();

      await ok(socket, 'member.join', { displayName: uniqueName('Late') });
      expect((await ok(socket, 'channels.list', {})).channels.map((c) => c.id)).toEqual(['lobby', 'random']);
    });
  });

  describe('revocation', () => {
    it('drops the revoked key’s live sockets at once, tells everyone, and refuses its next login', async () => {
      const victim = await joinedMember();
      const victimSecond = await login(victim.identity);
      const observer = await joinedMember();
      await ok(observer.socket, 'members.subscribe', {});

      const ended = [nextPush(victim.socket, 'session.ended'), nextPush(victimSecond, 'session.ended')];
      const dropped = [waitForDisconnect(victim.socket), waitForDisconnect(victimSecond)];
      const removed = pushMatching(
        observer.socket,
        'member.removed',
        (r) => r.publicKey === victim.publicKey,
      );
      const offline = pushMatching(
        observer.socket,
        'presence.updated',
        (p) => p.publicKey === victim.publicKey,
      );

      expect(await ok(root.socket, 'members.revoke', { publicKey: victim.publicKey })).toEqual({
        publicKey: victim.publicKey,
      });

      for (const end of await Promise.all(ended)) {
        expect(end.reason).toBe('revoked');
        expect(end.message.length).toBeGreaterThan(0);
      }
      expect(await Promise.all(dropped)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await removed).toEqual({ publicKey: victim.publicKey, reason: 'revoked' });
      expect(await offline).toEqual({ publicKey: victim.publicKey, online: false });

      expect(await loginRefusal(victim.identity)).toBe('not_a_member');
      expect(await listed(victim.publicKey)).toBeUndefined();
      expect(observer.socket.connected).toBe(true);
      expect(await fails(root.socket, 'members.revoke', { publicKey: victim.publicKey })).toBe('not_found');
    });

    it('drops a revoked key that has not joined yet', async () => {
      const identity = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [] });
      const socket = await login(identity);
      const ended = nextPush(socket, 'session.ended');
      const dropped = waitForDisconnect(socket);
      await ok(root.socket, 'members.revoke', { publicKey: identity.publicKey.hex });
      expect((await ended).reason).toBe('revoked');
      expect(await dropped).toBe('io server disconnect');
      expect(await loginRefusal(identity)).toBe('not_a_member');
    });

    it('lets a helper revoke, and forbids revoking a root key', async () => {
      const helper = await joinedMember(['helper']);
      const target = await joinedMember();
      const dropped = waitForDisconnect(target.socket);
      await ok(helper.socket, 'members.revoke', { publicKey: target.publicKey });
      expect(await dropped).toBe('io server disconnect');

      expect(await fails(helper.socket, 'members.revoke', { publicKey: root.publicKey })).toBe('forbidden');
      expect(await fails(root.socket, 'members.revoke', { publicKey: root.publicKey })).toBe('forbidden');
      expect(root.socket.connected).toBe(true);
      expect((await ok(root.socket, 'session.get', {})).isRoot).toBe(true);
      expect(await listed(root.publicKey)).toMatchObject({ isRoot: true, displayName: 'Root' });
    });

    it('answers a revoke of an unknown key with not_found', async () => {
      const unknown = await newIdentity();
      expect(await fails(root.socket, 'members.revoke', { publicKey: unknown.publicKey.hex })).toBe(
        'not_found',
      );
      expect(await fails(root.socket, 'members.revoke', { publicKey: 'zz' })).toBe('validation_failed');
    });
  });

  describe('presence', () => {
    it('tells members when another member comes online and goes offline; members.list shows it', async () => {
      const watcher = await joinedMember();
      await ok(watcher.socket, 'members.subscribe', {});
      const comer = await joinedMember();
      const offlineFirst = pushMatching(
        watcher.socket,
        'presence.updated',
        (p) => p.publicKey === comer.publicKey,
      );
      comer.socket.close();
      expect(await offlineFirst).toEqual({ publicKey: comer.publicKey, online: false });
      expect(await listed(comer.publicKey)).toMatchObject({ online: false });

      const online = pushMatching(watcher.socket, 'presence.updated', (p) => p.publicKey === comer.publicKey);
      const socket = await login(comer.identity);
      expect(await online).toEqual({ publicKey: comer.publicKey, online: true });
      const list = await ok(watcher.socket, 'members.list', {});
      expect(list.find((m) => m.publicKey === comer.publicKey)?.online).toBe(true);
      expect(list.find((m) => m.publicKey === watcher.publicKey)?.online).toBe(true);
      expect(list.find((m) => m.publicKey === root.publicKey)?.online).toBe(true);

      // A second socket of a member already online is not news.
      const presence = collectPushes(watcher.socket, 'presence.updated');
      const second = await login(comer.identity);
      const received = nextPush(watcher.socket, 'message.created');
      const sent = await ok(second, 'messages.send', {
        channelId: 'lobby',
        clientId: randomUUID(),
        content: 'barrier',
      });
      expect((await received).id).toBe(sent.id);
      expect(presence.filter((p) => p.publicKey === comer.publicKey)).toEqual([]);

      const offline = pushMatching(
        watcher.socket,
        'presence.updated',
        (p) => p.publicKey === comer.publicKey,
      );
      socket.close();
      second.close();
      expect(await offline).toEqual({ publicKey: comer.publicKey, online: false });
      expect(await listed(comer.publicKey)).toMatchObject({ online: false });
    });

    it('pushes presence and joins to the sockets watching the member list, and to no one else', async () => {
      const watcher = await joinedMember();
      const bystander = await joinedMember();
      const list = await ok(watcher.socket, 'members.subscribe', {});
      expect(list.find((m) => m.publicKey === bystander.publicKey)).toMatchObject({ online: true });
      const seenByWatcher = collectPushes(watcher.socket, 'presence.updated');
      const seenByBystander = collectPushes(bystander.socket, 'presence.updated');
      const joinsSeenByBystander = collectPushes(bystander.socket, 'member.joined');

      const comer = await joinedMember();
      const offline = pushMatching(
        watcher.socket,
        'presence.updated',
        (p) => p.publicKey === comer.publicKey,
      );
      comer.socket.close();
      expect(await offline).toEqual({ publicKey: comer.publicKey, online: false });
      expect(seenByWatcher.filter((p) => p.publicKey === comer.publicKey)).toEqual([
        { publicKey: comer.publicKey, online: true },
        { publicKey: comer.publicKey, online: false },
      ]);

      // Unsubscribed: the next change goes to root (still watching) but not to the watcher.
      expect(await ok(watcher.socket, 'members.unsubscribe', {})).toEqual({});
      const backOnline = pushMatching(
        root.socket,
        'presence.updated',
        (p) => p.publicKey === comer.publicKey,
      );
      const again = await login(comer.identity);
      await backOnline;
      // A barrier: a message the watcher and the bystander both get after the push would have come.
      const barriers = [watcher, bystander].map((m) => nextPush(m.socket, 'message.created'));
      await ok(again, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content: 'barrier' });
      await Promise.all(barriers);
      expect(seenByWatcher.filter((p) => p.publicKey === comer.publicKey)).toHaveLength(2);
      expect(seenByBystander).toEqual([]);
      expect(joinsSeenByBystander).toEqual([]);
    });

    it('does not count a key that has not joined as an online member', async () => {
      const identity = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [] });
      const presence = collectPushes(root.socket, 'presence.updated');
      const socket = await login(identity);
      const joinedPush = pushMatching(
        root.socket,
        'member.joined',
        (m) => m.publicKey === identity.publicKey.hex,
      );
      const joined = await ok(socket, 'member.join', { displayName: uniqueName('Quiet') });
      await joinedPush;
      expect(joined.online).toBe(true);
      // Online when it joined (the join brought its socket in), and not before.
      expect(presence.filter((p) => p.publicKey === identity.publicKey.hex)).toEqual([
        { publicKey: identity.publicKey.hex, online: true },
      ]);
    });
  });

  describe('paging', () => {
    /** The whole list, page by page: each next page starts after the previous one's last member. */
    async function allPages(socket: TestSocket, limit: number): Promise<MemberDto[][]> {
      const pages: MemberDto[][] = [];
      let after: { joinedAt: string; publicKey: string } | undefined;
      for (;;) {
        const page = await ok(socket, 'members.list', after ? { limit, after } : { limit });
        pages.push([...page]);
        const last = page.at(-1);
        if (page.length < limit || !last) return pages;
        after = { joinedAt: last.joinedAt, publicKey: last.publicKey };
      }
    }

    it('pages the list oldest first: the pages, put together, are the whole list, once each', async () => {
      for (let i = 0; i < 5; i++) await joinedMember();
      const whole = await ok(root.socket, 'members.list', {});
      expect(whole.length).toBeGreaterThanOrEqual(6);
      const pages = await allPages(root.socket, 2);
      expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
      expect(pages.flat().map((m) => m.publicKey)).toEqual(whole.map((m) => m.publicKey));
      const joined = whole.map((m) => Date.parse(m.joinedAt));
      expect([...joined].sort((a, b) => a - b)).toEqual(joined);
    });

    it('subscribes with a first page and pushes changes of members on any page', async () => {
      const watcher = await joinedMember();
      const later = await joinedMember();
      const first = await ok(watcher.socket, 'members.subscribe', { limit: 1 });
      expect(first).toHaveLength(1);
      expect(first.map((m) => m.publicKey)).not.toContain(later.publicKey);

      // A member on a later page goes offline and back, and a new member joins: all pushed.
      const offline = pushMatching(
        watcher.socket,
        'presence.updated',
        (p) => p.publicKey === later.publicKey && !p.online,
      );
      later.socket.close();
      await offline;
      const newcomer = await newIdentity();
      await ok(root.socket, 'members.authorize', { publicKey: newcomer.publicKey.hex, roles: [] });
      const announced = pushMatching(
        watcher.socket,
        'member.joined',
        (m) => m.publicKey === newcomer.publicKey.hex,
      );
      const socket = await login(newcomer);
      await ok(socket, 'member.join', { displayName: uniqueName('Paged') });
      expect((await announced).online).toBe(true);

      // The newest member is on the last page.
      const pages = await allPages(watcher.socket, 3);
      expect(pages.at(-1)?.at(-1)?.publicKey).toBe(newcomer.publicKey.hex);
    });

    it('refuses a page size out of range or a malformed cursor with validation_failed', async () => {
      for (const payload of [
        { limit: 0 },
        { limit: 501 },
        { limit: 1.5 },
        { limit: 2, after: { joinedAt: 'yesterday', publicKey: root.publicKey } },
        { limit: 2, after: { joinedAt: new Date().toISOString(), publicKey: '02ab' } },
        { limit: 2, after: { joinedAt: new Date().toISOString() } },
      ]) {
        expect(await fails(root.socket, 'members.list', payload as never)).toBe('validation_failed');
      }
    });
  });
});
